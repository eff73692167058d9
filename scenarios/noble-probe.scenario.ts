import { defineScenario } from '../harness/index.ts';

export default defineScenario({
  id: 'noble-probe',
  title: 'PrivateNetwork probe on a masked Noble image (deterministic trigger)',
  description:
    'Boot is clean because the e2scrub units are masked; the probe ' +
    '`systemd-run -p PrivateNetwork=yes --wait /bin/true` then runs through the measure window. ' +
    'Before the fix it hangs and sysbox-fs spins; after it, it returns within a second.',
  container: {
    image: 'sysbox-repro/ubuntu-noble-systemd-masked:latest',
    runtime: 'sysbox-runc',
    devices: ['/dev/dri/renderD128'],
  },
  workaround: { kind: 'masked-in-image' },
  trigger: { kind: 'probe', budgetMs: 120_000 },
  probe: { enabled: false },
  expect: [
    { sysbox: '<0.6.5', verdict: 'storm' },
    { sysbox: '>=0.6.5', verdict: 'clean' },
  ],
});
