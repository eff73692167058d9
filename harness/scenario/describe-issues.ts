import type { z } from 'zod';

type RawIssue = z.core.$ZodRawIssue;

/**
 * Messages for the checks the schema leaves to zod, worded like the schema's own ("expected
 * …"), so that every line reads "field <path>: expected …; found …". Returning undefined
 * keeps zod's message for a check this does not know.
 */
export function expectationMessage(issue: RawIssue): string | undefined {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((value) => JSON.stringify(value)).join(', ')}`;
    case 'invalid_union':
      // A discriminated union names the values its discriminator may take.
      return 'options' in issue && Array.isArray(issue.options)
        ? `expected one of ${issue.options.map((value) => JSON.stringify(value)).join(', ')}`
        : undefined;
    case 'too_small':
      return bound(issue.origin, 'at least', 'more than', issue.minimum, issue.inclusive);
    case 'too_big':
      return bound(issue.origin, 'at most', 'less than', issue.maximum, issue.inclusive);
    case 'invalid_format':
      return issue.format === 'starts_with' && 'prefix' in issue
        ? `expected text starting with ${JSON.stringify(issue.prefix)}`
        : undefined;
    default:
      return undefined;
  }
}

const TYPE_NAMES: Record<string, string> = {
  int: 'a whole number',
  number: 'a number',
  string: 'a string',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

function bound(
  origin: string,
  inclusiveWord: string,
  exclusiveWord: string,
  limit: number | bigint,
  inclusive: boolean | undefined,
): string {
  const word = inclusive === false ? exclusiveWord : inclusiveWord;
  if (origin === 'array') return `expected ${word} ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
  if (origin !== 'string') return `expected ${word} ${limit}`;
  return word === 'at least' && limit === 1
    ? 'expected a non-empty string'
    : `expected ${word} ${limit} characters`;
}

/**
 * One line per issue, naming the field, what was expected and what was found. Issues must
 * come from a parse with `reportInput: true`, which keeps the value that was found.
 */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map((issue) => {
    if (issue.code === 'unrecognized_keys') {
      const fields = issue.keys.map((key) => [...issue.path, key].join('.'));
      const [noun, pronoun] = fields.length === 1 ? ['field', 'its'] : ['fields', 'their'];
      return (
        `unknown ${noun} ${fields.join(', ')}; check ${pronoun} spelling against ` +
        'harness/scenario/schema.ts'
      );
    }
    const found = `found ${describeValue(foundValue(issue))}`;
    if (issue.path.length === 0) return `${issue.message}; ${found}`;
    return `field ${issue.path.join('.')}: ${issue.message}; ${found}`;
  });
}

/** A discriminated union reports the whole object; its discriminator is what was wrong. */
function foundValue(issue: z.core.$ZodIssue): unknown {
  const { input } = issue;
  if (issue.code !== 'invalid_union' || !('discriminator' in issue)) return input;
  const key = issue.discriminator;
  if (typeof key !== 'string' || typeof input !== 'object' || input === null) return input;
  return (input as Record<string, unknown>)[key];
}

/** A value as a scenario author would write it, cut short; "nothing" for a missing one. */
export function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'symbol') return value.toString();
  // JSON writes these as null, which would blame the author for a null they never wrote.
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN (not a number)';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let json: string;
  try {
    json = JSON.stringify(value);
  } catch {
    // A cycle: nothing a scenario file means to write, and JSON cannot show it.
    return 'an object that refers to itself';
  }
  return json.length > 80 ? `${json.slice(0, 77)}...` : json;
}
