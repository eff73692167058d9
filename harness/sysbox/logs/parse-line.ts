import { readGoQuoted } from './go-quote.ts';
import { splitJournalPrefix } from './journal-prefix.ts';
import { logrusTimeSecond } from './logrus-time.ts';
import {
  type JournalPrefix,
  LOGRUS_LEVELS,
  type LogrusLevel,
  type SysboxFsRecord,
} from './record.ts';
import { readUnitChange } from './systemd-messages.ts';

/** The journal identifier of sysbox-fs.service's output: the name of its binary. */
const SYSBOX_FS = 'sysbox-fs';
const RECEIVED = 'Received umount syscall from pid ';
const TARGET = 'target: ';
const IGNORING = 'Ignoring unmount of sysbox-fs managed submount at ';
const REJECTED = 'Rejected unmount of sysbox-fs managed submount at ';
// What logrus's %v of the unmount request prints: "target: %s, flags: %#x, root: %s, cwd: %s".
const TARGET_LINE = /^target: (.*), flags: (0x[0-9a-f]+|0), root: (.*), cwd: (.*)$/s;
const STDLOG = /^(\d{4}\/\d\d\/\d\d \d\d:\d\d:\d\d) (.*)$/s;

/**
 * Classifies one line of sysbox-fs output: logrus text or JSON, with or without a journal
 * prefix, a Go standard-library log line, or another program's journal line (any line whose
 * prefix names another identifier than sysbox-fs). Anything else is garbage, never an
 * exception.
 */
export function parseSysboxFsLine(rawLine: string): SysboxFsRecord {
  // A log that went through Windows may have CRLF line ends and a byte-order mark up front.
  const unmarked = rawLine.charCodeAt(0) === 0xfeff ? rawLine.slice(1) : rawLine;
  const line = unmarked.endsWith('\r') ? unmarked.slice(0, -1) : unmarked;
  if (line.startsWith('-- ') && line.endsWith(' --')) return { kind: 'journal-meta', text: line };

  const { prefix, body } = splitJournalPrefix(line);
  // An export without -u mixes daemons, and dockerd, containerd and sysbox-mgr log with
  // logrus too: only the identifier tells their lines from sysbox-fs's.
  if (prefix !== null && prefix.identifier !== SYSBOX_FS) {
    const unitChange = prefix.identifier === 'systemd' ? readUnitChange(body) : null;
    return { kind: 'journal-other', journal: prefix, unitChange };
  }
  if (body.startsWith('time="')) return fromFields(parseLogrusText(body), 'text', prefix, line);
  if (body.startsWith('{')) return fromFields(parseLogrusJson(body), 'json', prefix, line);

  const stdlog = STDLOG.exec(body);
  if (stdlog !== null) {
    const message = stdlog[2] ?? '';
    const time = stdlog[1] ?? '';
    return { kind: 'stdlog', time, message, fuse: message.startsWith('FUSE: '), journal: prefix };
  }
  // sysbox-fs's own unreadable lines (a Go panic's, say) stay garbage, to be shown.
  return garbage(body.length === 0 ? 'empty line' : 'not a sysbox-fs log line', line);
}

interface LogrusEntry {
  time: string;
  level: LogrusLevel;
  msg: string;
}

/** Logrus text: `time="..." level=debug msg="..." [key=value ...]`. */
export function parseLogrusText(body: string): LogrusEntry | string {
  const time = readGoQuoted(body, 5);
  if (time === null) return 'unterminated time value';
  if (!body.startsWith(' level=', time.end)) return 'no level after time';

  const levelStart = time.end + 7;
  const levelEnd = body.indexOf(' ', levelStart);
  const level = body.slice(levelStart, levelEnd < 0 ? body.length : levelEnd);
  if (!LOGRUS_LEVELS.has(level)) return `unknown level "${level}"`;
  if (levelEnd < 0 || !body.startsWith('msg=', levelEnd + 1)) return 'no msg after level';

  const msgStart = levelEnd + 5;
  if (body[msgStart] === '"') {
    const msg = readGoQuoted(body, msgStart);
    if (msg === null) return 'unterminated msg value (line cut off?)';
    return { time: time.value, level: level as LogrusLevel, msg: msg.value };
  }
  // Logrus leaves values made only of [A-Za-z0-9-._/@^+] unquoted.
  const msgEnd = body.indexOf(' ', msgStart);
  return {
    time: time.value,
    level: level as LogrusLevel,
    msg: body.slice(msgStart, msgEnd < 0 ? body.length : msgEnd),
  };
}

/** Logrus JSON: one object with at least `level`, `msg` and `time`. */
export function parseLogrusJson(body: string): LogrusEntry | string {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return 'invalid JSON (line cut off?)';
  }
  if (typeof parsed !== 'object' || parsed === null) return 'JSON line is not an object';
  const { level, msg, time } = parsed as Record<string, unknown>;
  if (typeof level !== 'string' || !LOGRUS_LEVELS.has(level)) return 'JSON line without a level';
  if (typeof msg !== 'string') return 'JSON line without msg';
  if (typeof time !== 'string') return 'JSON line without time';
  return { time, level: level as LogrusLevel, msg };
}

function fromFields(
  entry: LogrusEntry | string,
  format: 'text' | 'json',
  journal: JournalPrefix | null,
  line: string,
): SysboxFsRecord {
  if (typeof entry === 'string') return garbage(entry, line);
  const time = logrusTimeSecond(entry.time);
  if (time === null) return garbage(`unexpected time "${entry.time}"`, line);

  const base = { time, level: entry.level, format, journal };
  const msg = entry.msg;
  if (msg.startsWith(RECEIVED)) {
    const pid = Number(msg.slice(RECEIVED.length));
    if (Number.isSafeInteger(pid) && pid > 0) return { ...base, kind: 'umount-received', pid };
    return garbage('umount line without a pid', line);
  }
  if (msg.startsWith(TARGET)) {
    const target = TARGET_LINE.exec(msg);
    if (target === null) return { ...base, kind: 'other', message: msg };
    const [, path = '', flags = '', root = '', cwd = ''] = target;
    return { ...base, kind: 'umount-target', target: path, flags, root, cwd };
  }
  if (msg.startsWith(IGNORING)) {
    return { ...base, kind: 'submount-ignored', target: msg.slice(IGNORING.length) };
  }
  if (msg.startsWith(REJECTED)) {
    return { ...base, kind: 'submount-rejected', target: msg.slice(REJECTED.length) };
  }
  const startup = readStartup(msg);
  if (startup !== null) return { ...base, kind: 'startup', message: msg, ...startup };
  return { ...base, kind: 'other', message: msg };
}

function readStartup(msg: string): { version?: string; edition?: string } | null {
  if (msg.startsWith('Initiating sysbox-fs') || msg.startsWith('Ready ...')) return {};
  if (msg.startsWith('Starting sysbox-fs')) return {};
  if (msg.startsWith('Version: ')) return { version: msg.slice(9).trim() };
  if (msg.startsWith('Edition: ')) return { edition: msg.slice(9).trim() };
  return null;
}

function garbage(reason: string, line: string): SysboxFsRecord {
  // Only a prefix is kept: garbage can be arbitrarily long.
  return { kind: 'garbage', reason, line: line.slice(0, 200) };
}
