import { Command } from 'commander';
import { HarnessError } from '../../errors/harness-error.ts';

// Placeholder until its issue lands: refuses to run rather than pretend.
export function doctorCommand(): Command {
  return new Command('doctor').action(() => {
    throw new HarnessError('infrastructure', 'doctor is not implemented yet');
  });
}
