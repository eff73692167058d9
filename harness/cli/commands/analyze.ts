import { Command } from 'commander';
import { HarnessError } from '../../errors/harness-error.ts';

// Placeholder until its issue lands: refuses to run rather than pretend.
export function analyzeCommand(): Command {
  return new Command('analyze').action(() => {
    throw new HarnessError('infrastructure', 'analyze is not implemented yet');
  });
}
