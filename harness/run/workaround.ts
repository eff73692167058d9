import { execa } from 'execa';
import { badInput, infrastructure } from '../errors/harness-error.ts';
import type { StartedSystemContainer } from '../runtime/container.ts';
import type { Workaround } from '../scenario/schema.ts';

const STEP_BUDGET_MS = 30_000;

/**
 * Applies a live workaround; returns one line per step for the report. An interrupt stops a
 * host step at once; a step in the container ends with the container's removal.
 */
export async function applyLiveWorkaround(
  workaround: Workaround,
  container: StartedSystemContainer,
  signal?: AbortSignal,
): Promise<string[]> {
  switch (workaround.kind) {
    case 'stop-and-mask-live':
      return [
        await inContainer(container, ['systemctl', 'stop', ...workaround.units]),
        await inContainer(container, ['systemctl', 'mask', ...workaround.units]),
      ];
    case 'restart-sysbox-fs':
      // Calms sysbox-fs only until the next unit start; restarting it under running
      // containers is known to risk FUSE deadlocks, which is what this scenario measures.
      return [await onHost(['systemctl', 'restart', 'sysbox-fs.service'], signal)];
    case 'commands': {
      const steps: string[] = [];
      for (const argv of workaround.commands) {
        steps.push(
          workaround.where === 'container'
            ? await inContainer(container, argv)
            : await onHost(argv, signal),
        );
      }
      return steps;
    }
    default:
      return [];
  }
}

async function inContainer(container: StartedSystemContainer, argv: string[]): Promise<string> {
  const result = await container.exec(argv, STEP_BUDGET_MS);
  if (result.exitCode !== 0) {
    const how = result.timedOut
      ? `did not finish within its ${STEP_BUDGET_MS} ms budget`
      : `exited ${result.exitCode}`;
    throw stepFailed(
      `"${argv.join(' ')}" in ${container.name}`,
      how,
      result.exitCode,
      result.stderr,
    );
  }
  return `container: ${argv.join(' ')} (${Math.round(result.elapsedMs)} ms)`;
}

async function onHost(argv: string[], signal?: AbortSignal): Promise<string> {
  const [file, ...args] = argv as [string, ...string[]];
  const result = await execa(file, args, {
    reject: false,
    timeout: STEP_BUDGET_MS,
    ...(signal ? { cancelSignal: signal } : {}),
  });
  if (result.exitCode !== 0) {
    const how = result.timedOut
      ? `did not finish within its ${STEP_BUDGET_MS} ms budget`
      : result.isCanceled
        ? 'was stopped by the interrupt'
        : result.signal
          ? `was killed by ${result.signal}`
          : result.code === 'ENOENT'
            ? 'was not found'
            : `exited ${result.exitCode}`;
    const notFound = result.code === 'ENOENT' ? 127 : result.exitCode;
    throw stepFailed(`"${argv.join(' ')}" on the host`, how, notFound, result.stderr);
  }
  return `host: ${argv.join(' ')} (${Math.round(result.durationMs)} ms)`;
}

/**
 * A step's command that does not exist (exit 127, as a shell says it) is the scenario's
 * mistake; anything else went wrong on the way and is the infrastructure's.
 */
function stepFailed(step: string, how: string, exitCode: number | undefined, stderr: string) {
  const said = stderr.trim().split('\n')[0] || 'no output';
  const message = `workaround step ${step} ${how}: ${said}`;
  return exitCode === 127
    ? badInput(message, "check the workaround's commands in the scenario")
    : infrastructure(message);
}

/** Checks a masked-in-image workaround really is in the image. */
export async function verifyMasked(
  container: StartedSystemContainer,
  units: readonly string[],
): Promise<string[]> {
  const result = await container.exec(['systemctl', 'is-enabled', ...units], STEP_BUDGET_MS);
  const states = result.stdout.trim().split('\n');
  return units
    .map((unit, index) => ({ unit, state: states[index] ?? 'unknown' }))
    .filter(({ state }) => state !== 'masked')
    .map(({ unit, state }) => `${unit} is ${state}, not masked, in ${container.spec.image}`);
}
