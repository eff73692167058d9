import { execa } from 'execa';

export interface CommandOutcome {
  /** False when the program is not installed (ENOENT). */
  found: boolean;
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a host program with an argv array and a time budget; never throws. */
export async function runHostCommand(
  file: string,
  args: readonly string[],
  budgetMs = 5_000,
): Promise<CommandOutcome> {
  const result = await execa(file, args, {
    reject: false,
    timeout: budgetMs,
    stdin: 'ignore',
    env: { LC_ALL: 'C' },
  });
  return {
    found: result.code !== 'ENOENT',
    exitCode: result.exitCode ?? null,
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
  };
}
