import { execa } from 'execa';
import { max, mean, quantile } from 'simple-statistics';
import { compileHelper } from './cpu/compile.ts';

/**
 * Whether the kernel's taskstats exit records could count a target's exited children exactly,
 * in place of /proc's cutime and cstime (two counters truncated to a clock tick each). Each
 * child's record is compared with what wait4 reports for it, which is what cutime and cstime
 * add up before truncation. The per-exit shortfall, times an exit rate, is the error a window
 * would carry: at 150 % of one core in 30 ms children, 50 exits a second.
 */
const CHILDREN = Number(process.env.BENCH_TASKSTATS_CHILDREN ?? 60);
const CHILD_MS = 30;
const EXITS_PER_SECOND = 50;

const MODES = [
  { mode: 'clock', title: 'spins reading its own CPU clock (like the burner)' },
  { mode: 'plain', title: 'spins without a system call' },
  { mode: 'threads', title: 'burns in 3 threads that exit first (TGID aggregate)' },
] as const;

interface Child {
  rusageNs: number;
  recordNs: number;
  recordTicksNs: number;
}

export async function run(): Promise<void> {
  const binary = await compileHelper('taskstats-exit');
  console.log(
    `Exit record against wait4, per child of ${CHILD_MS} ms (ms; shortfall = wait4 - record):\n`,
  );
  console.log(
    '| child | children | cpu_run_virtual_total shortfall mean / p95 / max | ' +
      `at ${EXITS_PER_SECOND} exits/s | ac_utime+ac_stime max \\|error\\| |`,
  );
  console.log('|---|---|---|---|---|');
  for (const { mode, title } of MODES) {
    const args = ['--children', String(CHILDREN), '--child-ms', String(CHILD_MS), '--mode', mode];
    const { stdout } = await execa(binary, args, { reject: false });
    const failure = stdout.split('\n').find((line) => line.startsWith('failed '));
    if (failure) {
      console.log(`| ${title} | 0 | ${failure} | | |`);
      continue;
    }
    const children = parseChildren(stdout).filter((child) => child.recordNs > 0);
    if (children.length === 0) {
      console.log(`| ${title} | 0 | no exit record arrived | | |`);
      continue;
    }
    const shortfall = children.map((child) => (child.rusageNs - child.recordNs) / 1e6);
    const tickError = children.map((child) => Math.abs(child.rusageNs - child.recordTicksNs) / 1e6);
    const points = (mean(shortfall) * EXITS_PER_SECOND) / 10; // ms per s -> % of one core
    console.log(
      `| ${title} | ${children.length} | ${mean(shortfall).toFixed(3)} / ` +
        `${quantile(shortfall, 0.95).toFixed(3)} / ${max(shortfall).toFixed(3)} | ` +
        `${points.toFixed(2)} points low | ${max(tickError).toFixed(1)} |`,
    );
  }
}

function parseChildren(stdout: string): Child[] {
  const children: Child[] = [];
  for (const line of stdout.split('\n')) {
    const match = /^child \d+ rusage_ns (\d+) record_ns (\d+) record_ticks_ns (\d+)$/.exec(line);
    if (!match) continue;
    const [, rusageNs, recordNs, recordTicksNs] = match.map(Number);
    children.push({
      rusageNs: rusageNs ?? 0,
      recordNs: recordNs ?? 0,
      recordTicksNs: recordTicksNs ?? 0,
    });
  }
  return children;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
