import { defineScenario } from '../harness/index.ts';

/**
 * Does the render node matter? The reported case with and without /dev/dri/renderD128,
 * interleaved on one host and compared; expected: unchanged on every version.
 */
export default defineScenario({
  id: 'noble-device-arms',
  title: 'Ubuntu Noble systemd with and without /dev/dri/renderD128, compared',
  default: false,
  container: {
    image: 'sysbox-repro/ubuntu-noble-systemd:latest',
    runtime: 'sysbox-runc',
  },
  arms: [
    { id: 'with-render-node', devices: ['/dev/dri/renderD128'] },
    { id: 'without-device', devices: [] },
  ],
  expect: [
    { sysbox: '<0.6.5', verdict: 'storm', probe: 'hangs' },
    { sysbox: '>=0.6.5', verdict: 'clean', probe: 'returns' },
  ],
});
