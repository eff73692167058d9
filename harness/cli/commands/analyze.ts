import { createReadStream } from 'node:fs';
import { access, constants, stat } from 'node:fs/promises';
import { Command } from 'commander';
import { exitCodeFor } from '../../errors/exit-codes.ts';
import { badInput, HarnessError } from '../../errors/harness-error.ts';
import type { LogAnalysis } from '../../sysbox/logs/aggregate.ts';
import type { CommandAction } from '../main.ts';

interface AnalyzeFlags {
  json?: boolean;
}

/**
 * `sysbox-repro analyze <file | ->`: offline analysis of a saved sysbox-fs log or journal
 * export. Exit 0 whenever sysbox-fs lines were analysed, storms or not; 125 (inconclusive)
 * when the input holds none to analyse but is not wrong either (empty, or a journal export
 * with no sysbox-fs line); 2 when it cannot be read or has no line of a log at all.
 */
export function analyzeCommand(): Command {
  return new Command('analyze')
    .description('analyse a saved sysbox-fs log or journalctl output (- for stdin)')
    .argument('<file>', 'log file, or - for stdin')
    .option('--json', 'print the analysis as JSON')
    .action(async (file: string, flags: AnalyzeFlags) => {
      process.exitCode = exitCodeFor(await analyzeAction(file, flags));
    });
}

export const analyzeAction = (async (file: string, flags: AnalyzeFlags) => {
  let analysis: LogAnalysis;
  try {
    analysis = file === '-' ? await analyzeStdin() : await analyzeLog(file);
  } catch (error) {
    if (error instanceof HarnessError) throw error;
    throw new HarnessError('bad-input', `log ${file} could not be read: ${describe(error)}`, {
      cause: error,
    });
  }
  const { formatLogAnalysis } = await import('../../sysbox/logs/format-analysis.ts');
  const source = file === '-' ? 'stdin' : file;
  // Print what was found either way (the garbage examples say why), then say what is missing.
  const text = flags.json
    ? `${JSON.stringify({ source, ...analysis }, null, 2)}\n`
    : formatLogAnalysis(source, analysis);
  process.stdout.write(text);
  const missing = missingEvidence(source, analysis);
  if (missing !== null) throw missing;
  return 'ok';
}) satisfies CommandAction;

const JOURNAL_HINT =
  'sysbox-fs logs to the journal unless started with --log: export it with ' +
  '`journalctl -u sysbox-fs` as root or as a member of group systemd-journal';
const LOG_FILE_HINT = 'sysbox-fs may log to a file: see --log in `systemctl cat sysbox-fs`';

/**
 * Why the input holds no sysbox-fs line to analyse, or null when it has some. Nothing at
 * all, journalctl's "-- No entries --", or only other programs' journal lines are no
 * evidence either way (inconclusive); lines none of which belongs to a log are not a log.
 */
function missingEvidence(source: string, analysis: LogAnalysis): HarnessError | null {
  const { lines, kinds } = analysis;
  const otherPrograms = kinds['journal-other'];
  if (lines - kinds.garbage - kinds['journal-meta'] - otherPrograms > 0) return null;

  const none = `log ${source} has no sysbox-fs line to analyse`;
  if (lines === 0) return inconclusive(`${none}: it is empty`, JOURNAL_HINT);
  if (otherPrograms > 0) {
    const only = `only ${otherPrograms} line${otherPrograms === 1 ? '' : 's'} of other programs`;
    return inconclusive(`${none}: ${only} than sysbox-fs`, LOG_FILE_HINT);
  }
  if (kinds.garbage === 0) {
    return inconclusive(`${none}: journalctl found no entries`, JOURNAL_HINT);
  }
  return badInput(
    `log ${source} has no sysbox-fs log line in ${lines} lines`,
    'give a sysbox-fs log: logrus text or JSON, with or without a journal prefix',
  );
}

function inconclusive(message: string, hint: string): HarnessError {
  return new HarnessError('inconclusive', message, { hint });
}

// The analysis modules are loaded when the command runs, so other commands do not pay for them.
async function analyzeStdin(): Promise<LogAnalysis> {
  const { analyzeStream } = await import('../../sysbox/logs/analyze-stream.ts');
  return analyzeStream(process.stdin);
}

/** A regular file is scanned in parallel segments; a pipe or device is read as a stream. */
async function analyzeLog(file: string): Promise<LogAnalysis> {
  let regular: boolean;
  try {
    await access(file, constants.R_OK);
    const info = await stat(file);
    if (info.isDirectory()) throw new Error('is a directory');
    regular = info.isFile();
  } catch (error) {
    throw badInput(`log ${file} is not readable: ${describe(error)}`, 'give a file or - for stdin');
  }
  if (regular) {
    const { analyzeFile } = await import('../../sysbox/logs/analyze-file.ts');
    return analyzeFile(file);
  }
  const { analyzeStream } = await import('../../sysbox/logs/analyze-stream.ts');
  return analyzeStream(createReadStream(file, { highWaterMark: 1 << 20 }));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
