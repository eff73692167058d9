import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { hostNotReady } from '../../harness/errors/harness-error.ts';

/** Compiles a benchmark helper once per source version; gcc is part of the bench's needs. */
export async function compileHelper(name: string): Promise<string> {
  const source = new URL(`./${name}.c`, import.meta.url).pathname;
  const digest = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const binary = join(tmpdir(), `sysbox-repro-${name}-${digest}`);
  if (existsSync(binary)) return binary;
  try {
    await execa('gcc', ['-O2', '-Wall', '-pthread', '-o', `${binary}.tmp`, source]);
    await execa('mv', [`${binary}.tmp`, binary]);
  } catch (error) {
    throw hostNotReady(
      `cannot compile bench/cpu/${name}.c with gcc: ${String(error)}`,
      'apt-get install gcc',
    );
  }
  return binary;
}
