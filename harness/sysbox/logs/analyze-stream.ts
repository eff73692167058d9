import type { Readable } from 'node:stream';
import { type AggregatorOptions, type LogAnalysis, UnmountLogAggregator } from './aggregate.ts';
import { LineBuffer } from './line-buffer.ts';
import { chooseLogScanner, createLogScanner, type LogScannerChoice } from './log-scanner.ts';
import { UnmountEvents } from './unmount-events.ts';

/** Reads a whole saved log or journal export and analyses it in constant memory. */
export async function analyzeStream(
  input: Readable | AsyncIterable<Buffer | string>,
  options: AggregatorOptions & { scanner?: LogScannerChoice } = {},
): Promise<LogAnalysis> {
  const scanner = chooseLogScanner(options.scanner);
  const aggregator = new UnmountLogAggregator(options);
  const events = new UnmountEvents();
  const lines = new LineBuffer(createLogScanner(events, scanner));
  let spare: Float64Array | undefined;
  const replay = () => {
    const batch = events.take(spare);
    aggregator.replay(batch);
    spare = batch.ops;
  };

  for await (const chunk of input) {
    lines.write(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
    replay();
  }
  const partial = lines.end();
  replay();
  if (partial) aggregator.notePartialLastLine();
  return aggregator.finish();
}
