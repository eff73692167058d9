// Runs in its own process so its peak RSS is the analyser's alone.
import { createReadStream } from 'node:fs';
import { analyzeStream } from '../harness/sysbox/logs/analyze-stream.ts';

const path = process.argv[2] ?? '';
const started = performance.now();
const analysis = await analyzeStream(createReadStream(path, { highWaterMark: 1 << 20 }));
const elapsedMs = performance.now() - started;
process.stdout.write(
  `${JSON.stringify({
    elapsedMs,
    maxRssBytes: process.resourceUsage().maxRSS * 1024,
    lines: analysis.lines,
    garbage: analysis.garbage.count,
    ignored: analysis.totals.ignored,
    storms: analysis.storms.length,
  })}\n`,
);
