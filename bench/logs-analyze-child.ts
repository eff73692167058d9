// Runs in its own process so its peak RSS is the analyser's alone (worker threads included).
// Like the CLI, it compiles its modules through Node's compile cache.
import { enableCompileCache } from 'node:module';

enableCompileCache();
// Imported after the cache is on, so that these modules go through it.
const { analyzeFile, defaultScanThreads } = await import('../harness/sysbox/logs/analyze-file.ts');
const { chooseLogScanner } = await import('../harness/sysbox/logs/log-scanner.ts');

const path = process.argv[2] ?? '';
const threadsAt = process.argv.indexOf('--threads');
const threads = threadsAt > 0 ? Number(process.argv[threadsAt + 1]) : defaultScanThreads();
// SYSBOX_REPRO_LOG_SCANNER decides, as it does for the CLI.
const scanner = chooseLogScanner();
const started = performance.now();
const analysis = await analyzeFile(path, { threads, scanner });
const elapsedMs = performance.now() - started;
const storms = analysis.storms.map(({ start, end, attempts, targets, pids }) => ({
  start,
  end,
  attempts,
  targets: targets.map((target) => [target.path, target.attempts, target.ignored]),
  pids,
}));
process.stdout.write(
  `${JSON.stringify({
    elapsedMs,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    threads,
    scanner,
    result: {
      lines: analysis.lines,
      kinds: analysis.kinds,
      garbage: analysis.garbage.count,
      ignored: analysis.totals.ignored,
      umountCalls: analysis.totals.umountCalls,
      unpairedTargets: analysis.totals.unpairedTargets,
      ambiguousPairs: analysis.totals.ambiguousPairs,
      outOfOrderLines: analysis.outOfOrderLines,
      storms,
    },
  })}\n`,
);
