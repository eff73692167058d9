import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { median } from 'simple-statistics';
import { debugLogSeconds } from '../harness/sysbox/logs/fixtures/generate-debug-log.ts';

/**
 * `sysbox-repro analyze` on a generated 1 GB debug log in sysbox-fs's real format, against
 * `grep -c` counting the Ignoring lines of the same file in the same run (page cache warm
 * for both). Targets: at least 50 % of grep's throughput, peak RSS at most 200 MB. The
 * target is on the analysis inside its process; the whole CLI process (Node start-up, module
 * loading, printing) is timed too, alongside, and shown without a target.
 */
const TARGET_BYTES = Number(process.env.BENCH_LOG_BYTES ?? 1_000_000_000);
const RUNS = 3;
const IGNORING = 'Ignoring unmount of sysbox-fs managed submount';
const RECEIVED = 'Received umount syscall from pid';

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sysbox-repro-bench-logs-'));
  try {
    const path = join(dir, 'sysbox-fs-debug.log');
    const bytes = await generate(path);
    await execa('cat', [path], { stdout: 'ignore' });

    // Alternated, so load from elsewhere on the machine falls on both alike.
    const loadBefore = loadavg()[0] ?? 0;
    const grepMs: number[] = [];
    const analyses: ChildResult[] = [];
    const cliMs: number[] = [];
    let grepIgnoring = 0;
    for (let index = 0; index < RUNS; index++) {
      const started = performance.now();
      grepIgnoring = Number((await execa('grep', ['-c', IGNORING, path])).stdout.trim());
      grepMs.push(performance.now() - started);
      analyses.push(await analyzeInChild(path, []));
      cliMs.push(await analyzeWithCli(path));
    }
    const grepReceived = Number((await execa('grep', ['-c', RECEIVED, path])).stdout.trim());
    const sequential = await analyzeInChild(path, ['--threads', '1']);
    // The JavaScript scanner on the same file, for its speed and as a check on the native one.
    const javascript = await analyzeInChild(path, ['--threads', '1'], 'js');

    const grepSeconds = median(grepMs) / 1000;
    const analyzeSeconds = median(analyses.map((result) => result.elapsedMs)) / 1000;
    const cliSeconds = median(cliMs) / 1000;
    const peakRss = Math.max(...analyses.map((result) => result.maxRssBytes));
    const ratio = grepSeconds / analyzeSeconds;
    const first = analyses[0] as ChildResult;
    const sameAsSequential = analyses.every(
      (result) => JSON.stringify(result.result) === JSON.stringify(sequential.result),
    );
    const sameAsJavascript =
      JSON.stringify(javascript.result) === JSON.stringify(sequential.result);
    const mb = (value: number) => (value / 1e6).toFixed(0);
    const scanner = `${first.scanner} scanner`;

    const loadAfter = loadavg()[0] ?? 0;

    console.table([
      { measure: 'log size', value: `${mb(bytes)} MB`, target: '' },
      {
        measure: 'load average (1 min) before / after',
        value: `${loadBefore.toFixed(2)} / ${loadAfter.toFixed(2)}`,
        target: '',
      },
      { measure: 'grep -c throughput', value: `${mb(bytes / grepSeconds)} MB/s`, target: '' },
      {
        measure: 'analyze throughput (analysis in its process)',
        value: `${mb(bytes / analyzeSeconds)} MB/s (${first.threads} threads, ${scanner})`,
        target: '',
      },
      {
        measure: 'sysbox-repro analyze CLI process (node start-up included)',
        value: `${mb(bytes / cliSeconds)} MB/s (${(cliSeconds * 1000).toFixed(0)} ms)`,
        target: '',
      },
      {
        measure: 'analyze (in its process) / grep -c',
        value: `${(ratio * 100).toFixed(1)} %`,
        target: `>= 50 % ${ratio >= 0.5 ? 'met' : 'NOT met'}`,
      },
      {
        measure: 'analyze peak RSS (default node flags)',
        value: `${mb(peakRss)} MB`,
        target: `<= 200 MB ${peakRss <= 200e6 ? 'met' : 'NOT met'}`,
      },
      {
        measure: 'Ignoring lines (analyze / grep -c)',
        value: `${first.result.ignored} / ${grepIgnoring}`,
        target: first.result.ignored === grepIgnoring ? 'equal' : 'DIFFER',
      },
      {
        measure: 'trapped calls (analyze / grep -c)',
        value: `${first.result.umountCalls} / ${grepReceived}`,
        target: first.result.umountCalls === grepReceived ? 'equal' : 'DIFFER',
      },
      {
        measure: 'counts and storms vs 1 thread',
        value: `${mb(bytes / (sequential.elapsedMs / 1000))} MB/s on 1 thread`,
        target: sameAsSequential ? 'identical' : 'DIFFER',
      },
      {
        measure: 'counts and storms, 1 thread vs the js scanner',
        value: `${mb(bytes / (javascript.elapsedMs / 1000))} MB/s with the js scanner on 1 thread`,
        target: sameAsJavascript ? 'identical' : 'DIFFER',
      },
    ]);
    console.log(`storms: ${JSON.stringify(first.result.storms)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface ChildResult {
  elapsedMs: number;
  maxRssBytes: number;
  threads: number;
  scanner: string;
  result: { lines: number; garbage: number; ignored: number; umountCalls: number; storms: unknown };
}

async function analyzeInChild(
  path: string,
  args: string[],
  scanner?: 'js' | 'native',
): Promise<ChildResult> {
  const child = new URL('./logs-analyze-child.ts', import.meta.url).pathname;
  const env = scanner === undefined ? {} : { SYSBOX_REPRO_LOG_SCANNER: scanner };
  const result = await execa(process.execPath, [child, path, ...args], { env });
  return JSON.parse(result.stdout) as ChildResult;
}

/** Wall time of the whole CLI process, as a user running it sees it. */
async function analyzeWithCli(path: string): Promise<number> {
  const cli = new URL('../bin/sysbox-repro.js', import.meta.url).pathname;
  const started = performance.now();
  await execa(process.execPath, [cli, 'analyze', path], { stdout: 'ignore' });
  return performance.now() - started;
}

async function generate(path: string): Promise<number> {
  const out = createWriteStream(path);
  const seconds = debugLogSeconds({
    start: '2026-12-03 13:57:16',
    pids: [15720, 15731],
    loopsPerSecond: 200,
    format: 'text',
  });
  let written = 0;
  for (const chunk of seconds) {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
    written += Buffer.byteLength(chunk);
    if (written >= TARGET_BYTES) break;
  }
  await new Promise<void>((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve())),
  );
  return (await stat(path)).size;
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
