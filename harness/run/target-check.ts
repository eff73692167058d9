import { badInput } from '../errors/harness-error.ts';
import type { Logger } from '../log/logger.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { RunSampler } from './sampling.ts';

/**
 * The target as the baseline left it. Several processes of one name, or a pid or cgroup that
 * is not there, can only be a mistake in --target or the scenario: the run stops before the
 * container starts. A process missing by name may be one the container brings (a
 * containerd-shim), so the run goes on and only says what it will mean.
 */
export function checkTargetAfterBaseline(
  ctx: { logger: Logger },
  scenario: Scenario,
  sampler: RunSampler,
): void {
  const missing = sampler.targetMissing();
  if (missing === null) return;
  const name = sampler.targetName;
  if (missing.state === 'ambiguous') {
    throw badInput(
      `target ${name} matches several processes after the baseline: ${missing.detail}`,
      'name one of them with --target pid:<n>, or its service with --target cgroup:</path>',
    );
  }
  if (scenario.target.kind === 'pid' || scenario.target.kind === 'cgroup') {
    throw badInput(
      `target ${name} is not there after the baseline: ${missing.detail}`,
      `check the ${scenario.target.kind} given to --target or in the scenario`,
    );
  }
  ctx.logger.warn(
    { kind: 'target-missing', scenario: scenario.id, target: name },
    `${scenario.id}: target ${name} has no CPU reading after the baseline ` +
      `(${missing.state}: ${missing.detail}); unless it appears, the verdict will be inconclusive`,
  );
}
