import { defineScenario } from '../harness/index.ts';

export default defineScenario({
  id: 'noble-masked-image',
  title: 'Ubuntu Noble systemd with e2scrub_reap.service and e2scrub_all.timer masked in the image',
  description:
    'The published workaround. Boot stays clean on every version, but on a host before the fix ' +
    'the probe (any PrivateNetwork=yes unit) starts the loop again: the host stays vulnerable.',
  container: {
    image: 'sysbox-repro/ubuntu-noble-systemd-masked:latest',
    runtime: 'sysbox-runc',
    devices: ['/dev/dri/renderD128'],
  },
  workaround: { kind: 'masked-in-image' },
  expect: [
    { sysbox: '<0.6.5', verdict: 'clean', probe: 'hangs' },
    { sysbox: '>=0.6.5', verdict: 'clean', probe: 'returns' },
  ],
});
