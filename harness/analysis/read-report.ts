import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { badInput } from '../errors/harness-error.ts';
import {
  READABLE_SCHEMA_VERSIONS,
  type ReadableReport,
  readableReportSchema,
} from '../report/schema.ts';

/** Reads and validates a saved report; errors name the file and the first bad field. */
export async function readReportFile(file: string): Promise<ReadableReport> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw unreadable(file, error as NodeJS.ErrnoException);
  }

  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw badInput(`report ${file}: not JSON: ${(error as Error).message}`);
  }

  checkSchemaVersion(file, parsed);
  const result = readableReportSchema.safeParse(parsed);
  if (result.success) return result.data;
  const issue = result.error.issues[0] as z.core.$ZodIssue;
  const field = issue.path.join('.') || '(root)';
  throw badInput(
    `report ${file}: field ${field}: ${issue.message}`,
    'is it a report.json written by sysbox-repro run?',
  );
}

// A wrong path is the usual mistake here (a run directory, a typo, a report from another
// host not copied over), so those say where `run` puts the file.
const WHERE_REPORTS_ARE =
  'give the report.json that sysbox-repro run writes, e.g. reports/latest/report.json';

function unreadable(file: string, error: NodeJS.ErrnoException) {
  if (error.code === 'ENOENT') return badInput(`report ${file}: no such file`, WHERE_REPORTS_ARE);
  if (error.code === 'EISDIR') {
    return badInput(`report ${file}: is a directory`, WHERE_REPORTS_ARE);
  }
  return badInput(`report ${file}: cannot be read: ${error.code ?? String(error)}`);
}

/** A newer report may mean things this code cannot know; say so rather than misread it. */
function checkSchemaVersion(file: string, parsed: unknown): void {
  const version = (parsed as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version !== 'number') return;

  // Schema versions are whole numbers from 1, so 2.5 or 0 is a damaged or hand-made file, and
  // "newer" would send the user looking for a sysbox-repro that never existed.
  if (!Number.isInteger(version) || version < 1) {
    throw badInput(
      `report ${file}: schema version ${version} is not a valid schema version ` +
        `(whole numbers from 1; this sysbox-repro reads ${READABLE_SCHEMA_VERSIONS.join(', ')})`,
      'is it a report.json written by sysbox-repro run?',
    );
  }

  const newest = Math.max(...READABLE_SCHEMA_VERSIONS);
  if (version <= newest) return;
  throw badInput(
    `report ${file}: schema version ${version} is newer than this sysbox-repro reads ` +
      `(${READABLE_SCHEMA_VERSIONS.join(', ')})`,
    "read it with the sysbox-repro that wrote it: its version is the report's tool.version",
  );
}
