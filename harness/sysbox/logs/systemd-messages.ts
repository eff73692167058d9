import type { UnitChange, UnitChangeKind } from './record.ts';

const UNIT = 'sysbox-fs.service';

/**
 * Job lines name the unit as StatusUnitFormat= says: by description ("Started sysbox-fs (part
 * of the Sysbox container runtime)."; systemd's default before 252), by name, or both
 * ("Started sysbox-fs.service - sysbox-fs (part of …)."). The packaged unit's description
 * starts with "sysbox-fs" too, so either form is known by how it starts.
 */
const SYSBOX_FS_SUBJECT = /^sysbox-fs(?:\.service)?(?: |$)/;

const JOB_LINES: [RegExp, UnitChangeKind][] = [
  [/^Started (.+)\.$/s, 'started'],
  [/^Stopping (.+)\.\.\.$/s, 'stopping'],
  [/^Stopped (.+)\.$/s, 'stopped'],
  [/^Failed to start (.+)\.$/s, 'start-failed'],
];

// Lines systemd writes with the unit's name in front ("sysbox-fs.service: …"); the capture
// is the change's detail. "Consumed" gained ", <size> memory peak" and more in systemd 256.
const UNIT_LINES: [RegExp, UnitChangeKind][] = [
  [/^Main process exited, (.+?)\.?$/s, 'main-exited'],
  [/^Failed with result '(.+)'\.$/s, 'failed'],
  [/^Scheduled restart job(?:, (.+?))?\.$/s, 'restart-scheduled'],
  [/^Consumed (.+?) CPU time\b/s, 'cpu-consumed'],
];

/**
 * What a line of systemd's says about sysbox-fs.service, or null when it is about another
 * unit or is not a change worth showing ("Starting …", "Deactivated successfully." and the
 * like are only counted).
 */
export function readUnitChange(message: string): UnitChange | null {
  if (message.startsWith(`${UNIT}: `)) {
    return firstMatch(UNIT_LINES, message.slice(UNIT.length + 2), (detail) => detail);
  }
  const aboutSysboxFs = (subject: string) => (SYSBOX_FS_SUBJECT.test(subject) ? '' : null);
  return firstMatch(JOB_LINES, message, aboutSysboxFs);
}

function firstMatch(
  patterns: [RegExp, UnitChangeKind][],
  text: string,
  detailOf: (capture: string) => string | null,
): UnitChange | null {
  for (const [pattern, change] of patterns) {
    const match = pattern.exec(text);
    if (match === null) continue;
    const detail = detailOf(match[1] ?? '');
    return detail === null ? null : { change, detail };
  }
  return null;
}
