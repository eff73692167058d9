import { Command } from 'commander';
import { HarnessError } from '../../errors/harness-error.ts';

// Placeholder until its issue lands: refuses to run rather than pretend.
export function compareCommand(): Command {
  return new Command('compare').action(() => {
    throw new HarnessError('infrastructure', 'compare is not implemented yet');
  });
}
