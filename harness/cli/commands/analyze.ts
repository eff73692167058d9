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
 * export. Exit 0 whenever the input was analysed, storms or not; 2 when it cannot be read.
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
  // Print what was found either way (the garbage examples say why), then refuse a non-log.
  const recognised = analysis.lines - analysis.garbage.count;
  const text = flags.json
    ? `${JSON.stringify({ source, ...analysis }, null, 2)}\n`
    : formatLogAnalysis(source, analysis);
  process.stdout.write(text);
  if (recognised === 0) {
    throw badInput(
      `log ${source} has no sysbox-fs log line in ${analysis.lines} lines`,
      'give a sysbox-fs log: logrus text or JSON, with or without a journal prefix',
    );
  }
  return 'ok';
}) satisfies CommandAction;

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
