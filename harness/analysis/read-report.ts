import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { badInput } from '../errors/harness-error.ts';
import { type Report, reportSchema } from '../report/schema.ts';

/** Reads and validates a saved report; errors name the file and the first bad field. */
export async function readReportFile(file: string): Promise<Report> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw badInput(`report ${file}: cannot be read: ${why}`);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badInput(`report ${file}: not JSON: ${(error as Error).message}`);
  }

  const result = reportSchema.safeParse(parsed);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const field = issue.path.join('.') || '(root)';
  throw badInput(
    `report ${file}: field ${field}: ${issue.message}`,
    'is it a report.json written by sysbox-repro run?',
  );
}
