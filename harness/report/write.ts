import { access, constants, mkdir, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { badInput } from '../errors/harness-error.ts';
import { renderMarkdown } from './markdown.ts';
import { type Report, reportJsonSchema, reportSchema } from './schema.ts';

export const REPORTS_DIR = path.resolve(import.meta.dirname, '../../reports');

export interface WrittenReport {
  dir: string;
  json: string;
  markdown: string;
}

/** Kernel pseudo-filesystems: creating folders there fails in odd ways or never returns. */
const PSEUDO_FILESYSTEMS = ['/proc', '/sys', '/dev'];

/**
 * Makes sure reports can be written before a run starts anything, so a bad --reports-dir is
 * a one-line error rather than a run whose report is lost at the end.
 */
export async function prepareReportsDir(reportsDir: string): Promise<void> {
  const resolved = path.resolve(reportsDir);
  const pseudo = PSEUDO_FILESYSTEMS.find(
    (root) => resolved === root || resolved.startsWith(`${root}/`),
  );
  if (pseudo) {
    throw badInput(
      `cannot write reports under ${pseudo}: ${resolved}`,
      'choose another --reports-dir',
    );
  }
  try {
    await mkdir(resolved, { recursive: true });
    await access(resolved, constants.W_OK);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw badInput(`cannot write reports to ${resolved}: ${code}`, 'choose another --reports-dir');
  }
}

/**
 * Writes report.json (validated first: a report that breaks its own schema is a bug),
 * its JSON Schema and report.md, each atomically, then points `latest` at the run.
 */
export async function writeReport(
  report: Report,
  reportsDir = REPORTS_DIR,
): Promise<WrittenReport> {
  const checked = reportSchema.parse(report);
  const dir = path.join(reportsDir, checked.runId);
  await mkdir(dir, { recursive: true });

  const json = path.join(dir, 'report.json');
  const markdown = path.join(dir, 'report.md');
  await writeFileAtomic(json, `${JSON.stringify(checked, null, 2)}\n`);
  await writeFileAtomic(
    path.join(dir, 'report.schema.json'),
    `${JSON.stringify(reportJsonSchema(), null, 2)}\n`,
  );
  await writeFileAtomic(markdown, renderMarkdown(checked));
  await pointLatestAt(reportsDir, checked.runId);
  return { dir, json, markdown };
}

/** Replaces the `latest` symlink by rename, so readers never see it missing. */
async function pointLatestAt(reportsDir: string, runId: string): Promise<void> {
  const temporary = path.join(reportsDir, `.latest-${process.pid}`);
  await rm(temporary, { force: true });
  await symlink(runId, temporary);
  await rename(temporary, path.join(reportsDir, 'latest'));
}
