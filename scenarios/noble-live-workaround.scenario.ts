import { defineScenario } from '../harness/index.ts';

export default defineScenario({
  id: 'noble-live-workaround',
  title: 'Ubuntu Noble systemd: storm first, then stop and mask the e2scrub units live',
  description:
    'Measures the storm, stops and masks the units inside the running container, then measures ' +
    'again: sysbox-fs must calm down without restarting anything on the host.',
  container: {
    image: 'sysbox-repro/ubuntu-noble-systemd:latest',
    runtime: 'sysbox-runc',
    devices: ['/dev/dri/renderD128'],
  },
  workaround: { kind: 'stop-and-mask-live' },
  expect: [
    { sysbox: '<0.6.5', beforeWorkaround: 'storm', verdict: 'clean', probe: 'hangs' },
    { sysbox: '>=0.6.5', beforeWorkaround: 'clean', verdict: 'clean', probe: 'returns' },
  ],
});
