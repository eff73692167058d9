import { readFileSync } from 'node:fs';
import path from 'node:path';

/** Reads a golden file written by harness/analysis/golden/make_golden.py. */
export function readGolden<T>(name: string): T {
  const file = path.resolve(import.meta.dirname, '../golden', name);
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}
