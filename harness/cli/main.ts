import { createRequire } from 'node:module';
import { Command, CommanderError } from 'commander';
import { exitCodeFor, type Outcome } from '../errors/exit-codes.ts';
import { HarnessError } from '../errors/harness-error.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { compareCommand } from './commands/compare.ts';
import { doctorCommand } from './commands/doctor.ts';
import { imagesCommand } from './commands/images.ts';
import { runCommand } from './commands/run.ts';

/** Every command's action resolves to the outcome that decides the exit code. */
export type CommandAction = (...args: never[]) => Promise<Outcome>;

const { version } = createRequire(import.meta.url)('../../package.json') as { version: string };

const program = new Command('sysbox-repro')
  .description('reproduce and regression-test the Sysbox sysbox-fs unmount storm')
  .version(version)
  .showHelpAfterError()
  .exitOverride();

program.addCommand(runCommand());
program.addCommand(doctorCommand());
program.addCommand(analyzeCommand());
program.addCommand(compareCommand());
program.addCommand(imagesCommand());
// Subcommands do not inherit exitOverride: without it commander exits 1 on a bad flag value.
for (const command of program.commands) command.exitOverride().showHelpAfterError();

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
