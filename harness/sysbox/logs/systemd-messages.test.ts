import { readUnitChange } from './systemd-messages.ts';

// systemd's wording as it appears in journals: job lines name the unit by description (the
// default up to 251), by name, or both (the default from 252); "Succeeded." became
// "Deactivated successfully." in 248; "Consumed" grew a memory peak in 256.
const DESCRIPTION = 'sysbox-fs (part of the Sysbox container runtime)';

describe('readUnitChange', () => {
  it.each([
    [`Started ${DESCRIPTION}.`, 'started', ''],
    [`Started sysbox-fs.service - ${DESCRIPTION}.`, 'started', ''],
    ['Started sysbox-fs.service.', 'started', ''],
    [`Stopping ${DESCRIPTION}...`, 'stopping', ''],
    [`Stopping sysbox-fs.service - ${DESCRIPTION}...`, 'stopping', ''],
    [`Stopped sysbox-fs.service - ${DESCRIPTION}.`, 'stopped', ''],
    [`Failed to start sysbox-fs.service - ${DESCRIPTION}.`, 'start-failed', ''],
    [
      'sysbox-fs.service: Main process exited, code=killed, status=9/KILL',
      'main-exited',
      'code=killed, status=9/KILL',
    ],
    ["sysbox-fs.service: Failed with result 'exit-code'.", 'failed', 'exit-code'],
    [
      'sysbox-fs.service: Scheduled restart job, restart counter is at 3.',
      'restart-scheduled',
      'restart counter is at 3',
    ],
    ['sysbox-fs.service: Consumed 1min 2.345s CPU time.', 'cpu-consumed', '1min 2.345s'],
    [
      'sysbox-fs.service: Consumed 4h 1min 2.345s CPU time, 23.4M memory peak, 0B memory ' +
        'swap peak.',
      'cpu-consumed',
      '4h 1min 2.345s',
    ],
  ])('reads "%s"', (message, change, detail) => {
    expect(readUnitChange(message)).toEqual({ change, detail });
  });

  it.each([
    `Starting sysbox-fs.service - ${DESCRIPTION}...`,
    'sysbox-fs.service: Deactivated successfully.',
    'sysbox-fs.service: Succeeded.',
    'Started containerd.service - containerd container runtime.',
    'Stopped Sysbox container runtime.',
    'Started sysbox-fs-helper.service.',
    'containerd.service: Consumed 1.204s CPU time.',
    'Reloading.',
  ])('leaves "%s" a line that is only counted', (message) => {
    expect(readUnitChange(message)).toBeNull();
  });
});
