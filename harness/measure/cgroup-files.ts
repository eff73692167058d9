import { infrastructure } from '../errors/harness-error.ts';
import {
  asBytes,
  type Bytes,
  nextLine,
  readInteger,
  readKeyedIntegers,
  skipBlanks,
} from './bytes.ts';

/** cgroup v2 `cpu.stat`: cumulative microseconds (the first three of its keys). */
export interface CpuStatV2 {
  usageUsec: number;
  userUsec: number;
  systemUsec: number;
}

const V2_KEYS = ['usage_usec', 'user_usec', 'system_usec'] as const;

export function parseCpuStatV2(content: string | Bytes): CpuStatV2 {
  const bytes = asBytes(content);
  const found = readKeyedIntegers(bytes, V2_KEYS);
  const { usage_usec, user_usec, system_usec } = found;
  if (usage_usec === undefined || user_usec === undefined || system_usec === undefined) {
    throw malformed('cpu.stat', bytes);
  }
  return { usageUsec: usage_usec, userUsec: user_usec, systemUsec: system_usec };
}

/** cgroup v1 `cpuacct.usage`, `cpuacct.usage_user`, `cpuacct.usage_sys`: one count of ns. */
export function parseCpuacctNanoseconds(content: string | Bytes): number {
  const bytes = asBytes(content);
  const value = readInteger(bytes, skipBlanks(bytes, 0));
  if (Number.isNaN(value) || value < 0) throw malformed('cpuacct.usage', bytes);
  return value;
}

/** cgroup v1 `cpuacct.stat`: `user <ticks>` and `system <ticks>` in USER_HZ. */
export function parseCpuacctStat(content: string | Bytes): {
  userTicks: number;
  systemTicks: number;
} {
  const bytes = asBytes(content);
  const { user, system } = readKeyedIntegers(bytes, ['user', 'system'] as const);
  if (user === undefined || system === undefined) throw malformed('cpuacct.stat', bytes);
  return { userTicks: user, systemTicks: system };
}

/** `cgroup.procs`: one decimal pid per line. */
export function parsePidList(content: string | Bytes): number[] {
  const bytes = asBytes(content);
  const pids: number[] = [];
  for (let line = 0; line < bytes.length; line = nextLine(bytes, line)) {
    const pid = readInteger(bytes, line);
    if (!Number.isNaN(pid)) pids.push(pid);
  }
  return pids;
}

function malformed(file: string, bytes: Bytes) {
  const head = Buffer.from(bytes.subarray(0, 80)).toString('latin1').replaceAll('\n', '\\n');
  return infrastructure(`unexpected cgroup ${file} format: "${head}"`);
}
