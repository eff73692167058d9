import type { Command } from 'commander';

/**
 * A bad flag or argument gets one line naming it and the --help that lists the right ones:
 * commander's full usage text after it would push the error itself off a small terminal.
 * Failures still throw (exitOverride), so main decides the exit code.
 */
export function briefUsageErrors(command: Command): Command {
  const help = `${commandPath(command)} --help`;
  return command.exitOverride().configureOutput({
    outputError: (text, write) => {
      // Commander starts with "error: ", puts "(Did you mean …?)" on a line of its own and
      // joins an argument parser's reason on with ". ".
      const message = text
        .trim()
        .replace(/^error: /, '')
        .replace(/\s*\n\s*/g, ' ')
        .replace(/ is invalid\. /, ' is invalid: ');
      write(`sysbox-repro: ${message} (see ${help})\n`);
    },
  });
}

function commandPath(command: Command): string {
  const names: string[] = [];
  for (let at: Command | null = command; at; at = at.parent) names.unshift(at.name());
  return names.join(' ');
}
