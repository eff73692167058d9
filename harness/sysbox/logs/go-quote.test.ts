import { readGoQuoted } from './go-quote.ts';

describe('readGoQuoted', () => {
  it('reads a plain quoted value and where it ends', () => {
    expect(readGoQuoted('x="abc" y', 2)).toEqual({ value: 'abc', end: 7 });
  });

  it('decodes the escapes Go %q writes', () => {
    const quoted = String.raw`"a\"b\\c\n\t\x41\u00e9\U0001F600"`;
    expect(readGoQuoted(quoted, 0)?.value).toBe('a"b\\c\n\tAé😀');
  });

  it('returns null for an unterminated or broken value', () => {
    expect(readGoQuoted('"abc', 0)).toBeNull();
    expect(readGoQuoted(String.raw`"abc\"`, 0)).toBeNull();
    expect(readGoQuoted(String.raw`"bad \q escape"`, 0)).toBeNull();
    expect(readGoQuoted(String.raw`"short \x4"`, 0)).toBeNull();
  });
});
