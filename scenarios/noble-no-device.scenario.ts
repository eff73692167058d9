import { defineScenario } from '../harness/index.ts';

export default defineScenario({
  id: 'noble-no-device',
  title: 'Ubuntu Noble systemd without any device, nothing masked',
  description: 'The reported case without the render node: the device plays no part in the loop.',
  container: {
    image: 'sysbox-repro/ubuntu-noble-systemd:latest',
    runtime: 'sysbox-runc',
    devices: [],
  },
  workaround: { kind: 'none' },
  expect: [
    { sysbox: '<0.6.5', verdict: 'storm', probe: 'hangs' },
    { sysbox: '>=0.6.5', verdict: 'clean', probe: 'returns' },
  ],
});
