import { execa } from 'execa';
import { infrastructure } from '../errors/harness-error.ts';
import type { StartedSystemContainer } from '../runtime/container.ts';
import type { Workaround } from '../scenario/schema.ts';

const STEP_BUDGET_MS = 30_000;

/** Applies a live workaround; returns one line per step for the report. */
export async function applyLiveWorkaround(
  workaround: Workaround,
  container: StartedSystemContainer,
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
      return [await onHost(['systemctl', 'restart', 'sysbox-fs.service'])];
    case 'commands': {
      const steps: string[] = [];
      for (const argv of workaround.commands) {
        steps.push(
          workaround.where === 'container'
            ? await inContainer(container, argv)
            : await onHost(argv),
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
    throw infrastructure(
      `workaround step "${argv.join(' ')}" in ${container.name} exited ${result.exitCode}` +
        `${result.timedOut ? ` after its ${STEP_BUDGET_MS} ms budget` : ''}: ${result.stderr.trim()}`,
    );
  }
  return `container: ${argv.join(' ')} (${Math.round(result.elapsedMs)} ms)`;
}

async function onHost(argv: string[]): Promise<string> {
  const [file, ...args] = argv as [string, ...string[]];
  const result = await execa(file, args, { reject: false, timeout: STEP_BUDGET_MS });
  if (result.exitCode !== 0) {
    throw infrastructure(
      `workaround step "${argv.join(' ')}" on the host failed (exit ${result.exitCode}` +
        `${result.timedOut ? `, budget ${STEP_BUDGET_MS} ms` : ''}): ${result.stderr.trim()}`,
    );
  }
  return `host: ${argv.join(' ')} (${Math.round(result.durationMs)} ms)`;
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
