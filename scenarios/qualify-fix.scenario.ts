import { defineScenario } from '../harness/index.ts';

/**
 * Release qualification, not in the default set: the same reported case on the last version
 * with the bug and on the fix, side by side on one host. Each arm's install step switches the
 * host; the harness then checks with doctor that the version really changed. Adjust the .deb
 * paths to where your packages are, then: `npx sysbox-repro run qualify-fix`.
 */
export default defineScenario({
  id: 'qualify-fix',
  title: 'Sysbox 0.6.4 against 0.6.5 on the reported case (release qualification)',
  default: false,
  container: {
    image: 'sysbox-repro/ubuntu-noble-systemd:latest',
    runtime: 'sysbox-runc',
    devices: ['/dev/dri/renderD128'],
  },
  arms: [
    {
      id: 'sysbox-0.6.4',
      install: {
        argv: [
          'apt-get',
          'install',
          '-y',
          '--allow-downgrades',
          '/var/cache/sysbox-repro/debs/sysbox-ce_0.6.4-0.linux_amd64.deb',
        ],
      },
      sysbox: '0.6.4',
    },
    {
      id: 'sysbox-0.6.5',
      install: {
        argv: [
          'apt-get',
          'install',
          '-y',
          '/var/cache/sysbox-repro/debs/sysbox-ce_0.6.5-0.linux_amd64.deb',
        ],
      },
      sysbox: '0.6.5',
    },
  ],
  repetitions: { initial: 3, block: 2, cap: 7 },
  expect: [
    { sysbox: '<0.6.5', verdict: 'storm', probe: 'hangs' },
    { sysbox: '>=0.6.5', verdict: 'clean', probe: 'returns' },
  ],
});
