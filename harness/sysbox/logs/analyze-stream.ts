import type { Readable } from 'node:stream';
import { type AggregatorOptions, type LogAnalysis, UnmountLogAggregator } from './aggregate.ts';
import { FastLogScanner } from './fast-scanner.ts';

/** Reads a whole saved log or journal export and analyses it in constant memory. */
export async function analyzeStream(
  input: Readable | AsyncIterable<Buffer | string>,
  options: AggregatorOptions = {},
): Promise<LogAnalysis> {
  const aggregator = new UnmountLogAggregator(options);
  const scanner = new FastLogScanner(aggregator);
  for await (const chunk of input) scanner.push(chunk as Buffer | string);
  if (scanner.end()) aggregator.notePartialLastLine();
  return aggregator.finish();
}
