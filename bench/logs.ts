import { createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { median } from 'simple-statistics';
import { debugLogSeconds } from '../harness/sysbox/logs/fixtures/generate-debug-log.ts';

/**
 * `sysbox-repro analyze` on a generated 1 GB debug log in sysbox-fs's real format, against
 * `grep -c` counting the Ignoring lines of the same file in the same run (page cache warm
 * for both). Targets: at least 50 % of grep's throughput, peak RSS at most 200 MB.
 */
const TARGET_BYTES = Number(process.env.BENCH_LOG_BYTES ?? 1_000_000_000);
const RUNS = 3;
const IGNORING = 'Ignoring unmount of sysbox-fs managed submount';

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sysbox-repro-bench-logs-'));
  try {
    const path = join(dir, 'sysbox-fs-debug.log');
    const bytes = await generate(path);
    await execa('cat', [path], { stdout: 'ignore' });

    const grepMs: number[] = [];
    let grepCount = 0;
    for (let index = 0; index < RUNS; index++) {
      const started = performance.now();
      const grep = await execa('grep', ['-c', IGNORING, path]);
      grepMs.push(performance.now() - started);
      grepCount = Number(grep.stdout.trim());
    }
    const analyses: ChildResult[] = [];
    const bounded: ChildResult[] = [];
    for (let index = 0; index < RUNS; index++) {
      analyses.push(await analyzeInChild(path, []));
      bounded.push(await analyzeInChild(path, BOUNDED_HEAP));
    }

    const grepSeconds = median(grepMs) / 1000;
    const analyzeSeconds = median(analyses.map((result) => result.elapsedMs)) / 1000;
    const peakRss = Math.max(...analyses.map((result) => result.maxRssBytes));
    const boundedSeconds = median(bounded.map((result) => result.elapsedMs)) / 1000;
    const boundedRss = Math.max(...bounded.map((result) => result.maxRssBytes));
    const ratio = grepSeconds / analyzeSeconds;
    const first = analyses[0];
    const mb = (value: number) => (value / 1e6).toFixed(0);

    console.table([
      { measure: 'log size', value: `${mb(bytes)} MB`, target: '' },
      { measure: 'grep -c throughput', value: `${mb(bytes / grepSeconds)} MB/s`, target: '' },
      { measure: 'analyze throughput', value: `${mb(bytes / analyzeSeconds)} MB/s`, target: '' },
      {
        measure: 'analyze / grep -c',
        value: `${(ratio * 100).toFixed(1)} %`,
        target: `>= 50 % ${ratio >= 0.5 ? 'met' : 'NOT met'}`,
      },
      {
        measure: 'analyze peak RSS',
        value: `${mb(peakRss)} MB`,
        target: `<= 200 MB ${peakRss <= 200e6 ? 'met' : 'NOT met'}`,
      },
      {
        measure: `same, node ${BOUNDED_HEAP.join(' ')}`,
        value: `${mb(bytes / boundedSeconds)} MB/s, ${((grepSeconds / boundedSeconds) * 100).toFixed(1)} %, peak ${mb(boundedRss)} MB`,
        target: boundedRss <= 200e6 ? 'RSS met' : 'RSS NOT met',
      },
      {
        measure: 'Ignoring lines (analyze / grep)',
        value: `${first?.ignored} / ${grepCount}`,
        target: first?.ignored === grepCount ? 'equal' : 'DIFFER',
      },
    ]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

interface ChildResult {
  elapsedMs: number;
  maxRssBytes: number;
  ignored: number;
}

// The analyser's live memory stays small; with V8's default heap sizing the process still
// grows lazily, so the same analysis also runs with a bounded heap, shown on its own row.
const BOUNDED_HEAP = ['--max-old-space-size=64', '--max-semi-space-size=4'];

async function analyzeInChild(path: string, nodeFlags: string[]): Promise<ChildResult> {
  const child = new URL('./logs-analyze-child.ts', import.meta.url).pathname;
  const result = await execa(process.execPath, [...nodeFlags, child, path]);
  return JSON.parse(result.stdout) as ChildResult;
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
