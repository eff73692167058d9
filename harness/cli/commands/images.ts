import { Command } from 'commander';
import { HarnessError } from '../../errors/harness-error.ts';

// Placeholder until its issue lands: refuses to run rather than pretend.
export function imagesCommand(): Command {
  return new Command('images').action(() => {
    throw new HarnessError('infrastructure', 'images is not implemented yet');
  });
}
