import { InvalidArgumentError } from 'commander';
import { integerIn } from './integer-option.ts';

describe('integer options', () => {
  const interval = integerIn({ min: 100, max: 60_000 }, ' ms');

  it('takes plain decimal integers within the range', () => {
    expect(interval('100')).toBe(100);
    expect(interval('1000')).toBe(1000);
    expect(interval('60000')).toBe(60_000);
  });

  it.each([
    ['1e3', 'exponent'],
    ['0x64', 'hexadecimal'],
    ['0b1100100', 'binary'],
    [' 100', 'leading space'],
    ['100 ', 'trailing space'],
    ['+100', 'sign'],
    ['-100', 'negative'],
    ['100.0', 'decimal point'],
    ['1_000', 'digit separator'],
    ['0100', 'leading zero'],
    ['', 'empty'],
  ])('refuses %j (%s) as not plain decimal digits', (value) => {
    expect(() => interval(value)).toThrow(InvalidArgumentError);
    expect(() => interval(value)).toThrow(
      `expected an integer from 100 to 60000 ms in decimal digits only, got "${value}"`,
    );
  });

  it.each(['99', '60001', '9'.repeat(400)])('refuses %s as out of range', (value) => {
    expect(() => interval(value)).toThrow(
      `expected an integer from 100 to 60000 ms, got "${value}"`,
    );
  });
});
