import { defineScenario } from '../harness/index.ts';

export default defineScenario({
  id: 'jammy-control',
  title: 'Ubuntu Jammy systemd (249) under Sysbox: negative control',
  description:
    'systemd 249 predates the private-sysfs step, so nothing loops on any Sysbox version; a ' +
    'storm here means something other than this bug.',
  container: {
    image: 'sysbox-repro/ubuntu-jammy-systemd:latest',
    runtime: 'sysbox-runc',
    devices: ['/dev/dri/renderD128'],
  },
  expect: [{ sysbox: '*', verdict: 'clean', probe: 'returns' }],
});
