import { defineScenario } from '../harness/index.ts';

export default defineScenario({
  id: 'runc-trixie-control',
  title: 'Debian trixie systemd (257) under runc: the unmount sequence ends on its own',
  description:
    'systemd 257 takes the same private-sysfs unmount path as Noble, but under runc every ' +
    'unmount really succeeds, so boot finishes, e2scrub_reap.service ends and the probe ' +
    "returns. Measures the container's own cgroup, so it runs wherever Docker runs.",
  container: {
    image: 'sysbox-repro/systemd-trixie:latest',
    runtime: 'runc',
    devices: ['/dev/dri/renderD128'],
  },
  target: { kind: 'container' },
  windows: {
    baselineMs: 3_000,
    bootBudgetMs: 60_000,
    settleMs: 5_000,
    measureMs: 15_000,
    recoveryMs: 3_000,
  },
  expect: [{ sysbox: '*', verdict: 'clean', probe: 'returns' }],
});
