import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { exitCodeFor, type Outcome } from '../errors/exit-codes.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { compareCommand } from './commands/compare.ts';
import { doctorCommand } from './commands/doctor.ts';
import { imagesCommand } from './commands/images.ts';
import { runCommand } from './commands/run.ts';
import { briefUsageErrors } from './usage-errors.ts';

/** Every command's action resolves to the outcome that decides the exit code. */
export type CommandAction = (...args: never[]) => Promise<Outcome>;

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('sysbox-repro')
  .description('reproduce and regression-test the Sysbox sysbox-fs unmount storm')
  .version(version);

program.addCommand(runCommand());
program.addCommand(doctorCommand());
program.addCommand(analyzeCommand());
program.addCommand(compareCommand());
program.addCommand(imagesCommand());
// Subcommands added this way inherit no settings: without exitOverride commander itself would
// exit 1 on a bad flag value, where bad input is 2.
for (const command of [program, ...program.commands]) briefUsageErrors(command);

try {
  await program.parseAsync(process.argv);
  process.exitCode ??= exitCodeFor('ok');
} catch (error) {
  process.exitCode = reportFailure(error);
}

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) {
    // Help and version are not failures; bad flags are bad input.
    return error.exitCode === 0 ? 0 : exitCodeFor('bad-input');
  }
  if (error instanceof HarnessError) {
    const hint = error.hint ? ` (${error.hint})` : '';
    process.stderr.write(`sysbox-repro: ${error.message}${hint}\n`);
    return exitCodeFor(error.kind);
  }
  process.stderr.write(`sysbox-repro: internal error: ${(error as Error)?.stack ?? error}\n`);
  return exitCodeFor('infrastructure');
}
