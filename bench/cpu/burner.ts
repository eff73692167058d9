import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { compileHelper } from './compile.ts';

/** The burner binary, built from burner.c on first use. */
export const buildBurner = (): Promise<string> => compileHelper('burner');

export interface BurnerLoad {
  percent: number;
  seconds: number;
  /** Spread over this many threads, or over short-lived children when `childMs` is set. */
  threads?: number;
  childMs?: number;
  /** Leave children unreaped (zombies) until the load ends. */
  reapLate?: boolean;
}

/** The burner's own accounting, cumulative CPU at each CLOCK_MONOTONIC instant. */
export interface Accounting {
  /** All CPU the load used up to `monoNs`, children running or reaped included (seconds). */
  treeSecondsAt(monoNs: bigint): number;
  /** What the load's own /proc/<pid>/stat can show: its threads and its reaped children. */
  reapedSecondsAt(monoNs: bigint): number;
  startNs: bigint;
  endNs: bigint;
}

export interface BurnerRun extends AsyncDisposable {
  pid: number;
  /** Starts burning; call it once the process is where it should be measured. */
  go(): void;
  /** Resolves with the accounting once the burner has finished. */
  finished(): Promise<Accounting>;
}

export async function startBurner(binary: string, load: BurnerLoad): Promise<BurnerRun> {
  const directory = mkdtempSync(join(tmpdir(), 'sysbox-repro-burner-log-'));
  const log = join(directory, 'accounting.log');
  const spread = load.childMs
    ? ['--children', '--child-ms', String(load.childMs), ...(load.reapLate ? ['--reap-late'] : [])]
    : ['--threads', String(load.threads ?? 1)];
  const args = ['--percent', String(load.percent), '--seconds', String(load.seconds), ...spread];
  const child: ResultPromise = execa(binary, [...args, '--log', log], {
    stdin: 'pipe',
    stdout: 'pipe',
    buffer: false,
  });

  const pid = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => {
      const match = /^ready (\d+)/.exec(chunk.toString());
      if (match) resolve(Number(match[1]));
      else reject(new Error(`burner said "${chunk.toString().trim()}" instead of ready`));
    });
    child.catch(reject);
  });

  const cleanup = async () => {
    child.kill('SIGKILL');
    await child.catch(() => undefined);
    rmSync(directory, { recursive: true, force: true });
  };
  return {
    pid,
    go: () => child.stdin?.write('go\n'),
    async finished() {
      await child;
      const accounting = parseAccounting(readFileSync(log, 'latin1'));
      await cleanup();
      return accounting;
    },
    [Symbol.asyncDispose]: cleanup,
  };
}

export function parseAccounting(text: string): Accounting {
  const rows = text
    .trim()
    .split('\n')
    .map((line) => line.split(' '));
  const mono = rows.map((row) => BigInt(row[0] ?? '0'));
  const tree = rows.map(
    ([, self, reaped, live]) => (Number(self) + Number(reaped) + Number(live)) / 1e9,
  );
  const reaped = rows.map(([, self, reapedNs]) => (Number(self) + Number(reapedNs)) / 1e9);

  // Linear between the 5 ms records that bracket the instant.
  const at = (values: number[], monoNs: bigint) => {
    let high = mono.findIndex((t) => t >= monoNs);
    if (high <= 0) high = high === 0 ? 1 : mono.length - 1;
    const [t0, t1] = [mono[high - 1] as bigint, mono[high] as bigint];
    const [v0, v1] = [values[high - 1] as number, values[high] as number];
    const fraction = t1 === t0 ? 0 : Number(monoNs - t0) / Number(t1 - t0);
    return v0 + (v1 - v0) * Math.min(1, Math.max(0, fraction));
  };
  return {
    treeSecondsAt: (monoNs) => at(tree, monoNs),
    reapedSecondsAt: (monoNs) => at(reaped, monoNs),
    startNs: mono[0] ?? 0n,
    endNs: mono.at(-1) ?? 0n,
  };
}
