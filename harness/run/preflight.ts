import { ensureLocalImage, isLocalImage } from '../../images/local-images.ts';
import { type HarnessError, hostNotReady, isHarnessError } from '../errors/harness-error.ts';
import type { Logger } from '../log/logger.ts';
import type { HostFingerprint } from '../report/schema.ts';
import { assertDockerReachable, type Docker } from '../runtime/docker-client.ts';
import type { Scenario } from '../scenario/schema.ts';
import { runDoctor, SYSBOX_INSTALL_HINT, sysboxVersion } from '../sysbox/doctor.ts';
import { readHostFingerprint } from '../sysbox/fingerprint.ts';
import type { SysboxInstallation } from '../sysbox/installation.ts';

/** What the host offers, read once before the first scenario. */
export interface Preflight {
  host: HostFingerprint;
  sysboxVersion: string | null;
  /** Names of Sysbox containers that were running when the run began. */
  otherSysboxContainers: string[];
  allowOtherSysboxContainers: boolean;
  /** What is installed, null without Sysbox; tells where sysbox-fs logs go. */
  sysbox: SysboxInstallation | null;
}

export async function hostPreflight(
  docker: Docker,
  options: { allowOtherSysboxContainers: boolean },
): Promise<Preflight> {
  await assertDockerReachable(docker);
  const doctor = await runDoctor({ docker, runtime: 'runc' });
  return {
    host: await readHostFingerprint(docker, doctor.sysbox),
    sysboxVersion: sysboxVersion(doctor),
    otherSysboxContainers: doctor.otherSysboxContainers.map((c) => c.name),
    allowOtherSysboxContainers: options.allowOtherSysboxContainers,
    sysbox: sysboxVersion(doctor) === null ? null : doctor.sysbox,
  };
}

export type ScenarioReadiness =
  | { kind: 'ready' }
  | { kind: 'skip'; reason: string; fix: string }
  | { kind: 'error'; error: HarnessError };

/**
 * Per scenario: a runtime the host lacks makes it skipped (with the fix); anything else
 * missing that the host could have (image, device, a quiet sysbox-fs) is an error.
 */
export async function scenarioPreflight(
  deps: { docker: Docker; logger: Logger; preflight: Preflight },
  scenario: Scenario,
): Promise<ScenarioReadiness> {
  const { runtime, devices, image } = scenario.container;
  const doctor = await runDoctor({
    docker: deps.docker,
    runtime,
    devices,
    allowOtherSysboxContainers: deps.preflight.allowOtherSysboxContainers,
  });

  const runtimes = doctor.docker?.runtimes ?? [];
  if (!runtimes.includes(runtime)) {
    return {
      kind: 'skip',
      reason: `runtime ${runtime} is not registered with Docker (runtimes: ${runtimes.join(', ')})`,
      fix: runtime === 'sysbox-runc' ? SYSBOX_INSTALL_HINT : `register ${runtime} with Docker`,
    };
  }
  // A bad setting is not the host's fault: run refuses the ones it reads (the sampler's)
  // before any scenario, and one it does not read (the log scanner's) must not stop it.
  const failed = doctor.checks.filter((check) => check.status === 'fail' && !check.badSetting);
  if (failed.length > 0) {
    const what = failed.map((check) => `${check.name}: ${check.detail}`).join('; ');
    const fixes = failed.flatMap((check) => (check.fix ? [check.fix] : [])).join('; ');
    return {
      kind: 'error',
      error: hostNotReady(`host not ready for ${scenario.id}: ${what}`, fixes),
    };
  }

  try {
    await ensureImage(deps, image);
  } catch (error) {
    if (isHarnessError(error)) return { kind: 'error', error };
    throw error;
  }
  return { kind: 'ready' };
}

async function ensureImage(deps: { docker: Docker; logger: Logger }, image: string): Promise<void> {
  if (isLocalImage(image)) {
    await ensureLocalImage(image, { docker: deps.docker, logger: deps.logger });
    return;
  }
  const present = await deps.docker
    .getImage(image)
    .inspect()
    .then(() => true)
    .catch(() => false);
  if (present) return;

  const recipe = /^sysbox-repro\/(ubuntu-[a-z]+-systemd(?:-masked)?)/.exec(image)?.[1];
  throw hostNotReady(
    `image ${image} is not present in the Docker Engine`,
    recipe
      ? `docker build -t ${image} images/${recipe} (needs a registry), or map it with ` +
          '--image-map to a local image'
      : `docker pull ${image}, or map it with --image-map to a local image`,
  );
}
