import { Command } from 'commander';
import { HarnessError } from '../../errors/harness-error.ts';

// Placeholder until its issue lands: refuses to run rather than pretend.
export function runCommand(): Command {
  return new Command('run').action(() => {
    throw new HarnessError('infrastructure', 'run is not implemented yet');
  });
}
