import { defineScenario } from '../harness/index.ts';

export default defineScenario({
  id: 'noble-render-storm',
  title: 'Ubuntu Noble systemd with /dev/dri/renderD128, nothing masked (the reported case)',
  description:
    'e2scrub_reap.service starts at boot with PrivateNetwork=yes; before Sysbox 0.6.5 its ' +
    'unmount of the private sysfs never ends and sysbox-fs burns a core.',
  container: {
    image: 'sysbox-repro/ubuntu-noble-systemd:latest',
    runtime: 'sysbox-runc',
    devices: ['/dev/dri/renderD128'],
  },
  workaround: { kind: 'none' },
  trigger: { kind: 'boot' },
  expect: [
    { sysbox: '<0.6.5', verdict: 'storm', probe: 'hangs' },
    { sysbox: '>=0.6.5', verdict: 'clean', probe: 'returns' },
  ],
});
