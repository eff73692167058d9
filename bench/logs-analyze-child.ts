// Runs in its own process so its peak RSS is the analyser's alone (worker threads included).
import { analyzeFile } from '../harness/sysbox/logs/analyze-file.ts';

const path = process.argv[2] ?? '';
const started = performance.now();
const analysis = await analyzeFile(path);
const elapsedMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    elapsedMs,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    lines: analysis.lines,
    garbage: analysis.garbage.count,
    ignored: analysis.totals.ignored,
    umountCalls: analysis.totals.umountCalls,
    storms: analysis.storms.map((storm) => [storm.start, storm.end, storm.attempts]),
  })}\n`,
);
