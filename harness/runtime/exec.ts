import { PassThrough } from 'node:stream';
import type Docker from 'dockerode';
import { infrastructure } from '../errors/harness-error.ts';

export interface ExecResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  elapsedMs: number;
  /** The command was still running at its budget and was stopped. */
  timedOut: boolean;
}

/** Exit status of coreutils `timeout` when the budget ran out. */
const TIMEOUT_EXIT = 124;

/**
 * Runs argv inside the container. A budget wraps the command in coreutils `timeout`, so the
 * process inside ends too, not only our wait for it; the host-side guard covers a container
 * that no longer answers at all.
 */
export async function execInContainer(
  container: Docker.Container,
  argv: readonly string[],
  budgetMs?: number,
): Promise<ExecResult> {
  const started = performance.now();
  const cmd =
    budgetMs === undefined
      ? [...argv]
      : ['timeout', '--kill-after=2', `${Math.max(1, budgetMs) / 1000}`, ...argv];

  const exec = await container.exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await exec.start({ hijack: true, stdin: false });
  const stdout = collect();
  const stderr = collect();
  container.modem.demuxStream(stream, stdout.sink, stderr.sink);

  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  const guardMs = budgetMs === undefined ? undefined : budgetMs + 10_000;
  let guard: NodeJS.Timeout | undefined;
  const guardExpired = new Promise<'expired'>((resolve) => {
    if (guardMs !== undefined) guard = setTimeout(() => resolve('expired'), guardMs);
  });

  const first = await Promise.race([ended.then(() => 'ended' as const), guardExpired]);
  clearTimeout(guard);
  if (first === 'expired') {
    stream.destroy();
    throw infrastructure(
      `exec "${argv.join(' ')}" in container ${container.id.slice(0, 12)} did not end ` +
        `${guardMs} ms after its ${budgetMs} ms budget`,
    );
  }

  const { ExitCode } = await exec.inspect();
  const exitCode = ExitCode ?? -1;
  return {
    exitCode,
    stdout: stdout.text(),
    stderr: stderr.text(),
    elapsedMs: performance.now() - started,
    timedOut: budgetMs !== undefined && exitCode === TIMEOUT_EXIT,
  };
}

function collect(): { sink: PassThrough; text: () => string } {
  const sink = new PassThrough();
  const chunks: Buffer[] = [];
  sink.on('data', (chunk: Buffer) => chunks.push(chunk));
  return { sink, text: () => Buffer.concat(chunks).toString('utf8') };
}
