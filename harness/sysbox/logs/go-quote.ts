/**
 * Reads one Go `%q` string (what logrus's text formatter writes for values that need quoting)
 * starting at the opening quote. Returns null when the closing quote is missing, as in a
 * line cut off mid-write.
 */
export function readGoQuoted(text: string, openAt: number): { value: string; end: number } | null {
  const start = openAt + 1;
  let close = text.indexOf('"', start);
  if (close < 0) return null;

  // Fast path: no escapes before the first quote, so that quote closes the string.
  const firstEscape = text.indexOf('\\', start);
  if (firstEscape < 0 || firstEscape > close)
    return { value: text.slice(start, close), end: close + 1 };

  let value = text.slice(start, firstEscape);
  let at = firstEscape;
  while (at < text.length) {
    const ch = text[at];
    if (ch === '"') return { value, end: at + 1 };
    if (ch !== '\\') {
      close = text.indexOf('"', at);
      const nextEscape = text.indexOf('\\', at);
      if (close < 0) return null;
      const stop = nextEscape >= 0 && nextEscape < close ? nextEscape : close;
      value += text.slice(at, stop);
      at = stop;
      continue;
    }
    const escaped = readEscape(text, at);
    if (escaped === null) return null;
    value += escaped.value;
    at = escaped.end;
  }
  return null;
}

const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
  '"': '"',
  "'": "'",
};

const HEX_ESCAPE_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

function readEscape(text: string, at: number): { value: string; end: number } | null {
  const letter = text[at + 1];
  if (letter === undefined) return null;

  const simple = SIMPLE_ESCAPES[letter];
  if (simple !== undefined) return { value: simple, end: at + 2 };

  const digits = HEX_ESCAPE_DIGITS[letter];
  if (digits === undefined) return null;
  const hex = text.slice(at + 2, at + 2 + digits);
  if (hex.length !== digits || !/^[0-9a-fA-F]+$/.test(hex)) return null;
  const code = Number.parseInt(hex, 16);
  if (code > 0x10ffff) return null;
  return { value: String.fromCodePoint(code), end: at + 2 + digits };
}
