import { InvalidArgumentError } from 'commander';
import type { Range } from '../scenario/limits.ts';

/**
 * A commander argument parser for a whole number within `range`, written in plain decimal
 * digits. Number() would also take " 100", "1e3", "0x64", "0b1" and "", none of which a user
 * types as a count on purpose; a leading zero is refused too, as some tools read it as octal.
 */
export function integerIn({ min, max }: Range, unit = ''): (value: string) => number {
  const expected = `expected an integer from ${min} to ${max}${unit}`;
  return (value) => {
    if (!/^(0|[1-9][0-9]*)$/.test(value)) {
      throw new InvalidArgumentError(`${expected} in decimal digits only, got "${value}"`);
    }
    const parsed = Number(value);
    if (parsed < min || parsed > max) {
      throw new InvalidArgumentError(`${expected}, got "${value}"`);
    }
    return parsed;
  };
}
