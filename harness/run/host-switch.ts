import { execa } from 'execa';
import semver from 'semver';
import { hostNotReady, infrastructure } from '../errors/harness-error.ts';
import type { Logger } from '../log/logger.ts';
import type { Docker } from '../runtime/docker-client.ts';
import type { Arm } from '../scenario/schema.ts';
import { listSysboxContainers } from '../sysbox/containers.ts';
import { sysboxVersion } from '../sysbox/doctor.ts';
import { readHostFingerprint } from '../sysbox/fingerprint.ts';
import { readSysboxInstallation } from '../sysbox/installation.ts';
import type { Preflight } from './preflight.ts';

const INSTALL_BUDGET_MS = 10 * 60_000;

/**
 * Puts the host in the state an arm asks for: runs its install step (only with no Sysbox
 * container running, since installing restarts the daemons), then checks the Sysbox version
 * the host now reports against the arm's range. Returns the host as this arm sees it.
 */
export async function switchHostForArm(
  arm: Arm,
  preflight: Preflight,
  deps: { docker: Docker; logger: Logger },
): Promise<Preflight> {
  if (arm.install) {
    await refuseWithSysboxContainers(arm, deps.docker);
    await runInstall(arm, deps.logger);
  }
  if (!arm.install && !arm.sysbox) return preflight;

  const installation = await readSysboxInstallation();
  const version = sysboxVersion({ sysbox: installation });
  if (arm.sysbox && (!version || !semver.satisfies(version, arm.sysbox))) {
    throw hostNotReady(
      `arm ${arm.id} needs Sysbox ${arm.sysbox}, the host reports ${version ?? 'no Sysbox'}` +
        `${arm.install ? ' after its install step' : ''}`,
      arm.install
        ? "check the arm's install step installs that version"
        : 'give the arm an install step, or run it on a host with that version',
    );
  }
  if (arm.install) await refuseWithSysboxContainers(arm, deps.docker);
  return {
    ...preflight,
    host: await readHostFingerprint(deps.docker, installation),
    sysboxVersion: version,
    sysbox: version ? installation : null,
  };
}

async function runInstall(arm: Arm, logger: Logger): Promise<void> {
  const install = arm.install;
  if (!install) return;
  const started = performance.now();
  const shown = 'argv' in install ? install.argv.join(' ') : install.shell;
  logger.info({ kind: 'install', arm: arm.id }, `arm ${arm.id}: installing (${shown})`);

  const [file, ...args] = 'argv' in install ? install.argv : ['/bin/sh', '-c', install.shell];
  const result = await execa(file as string, args, {
    reject: false,
    timeout: INSTALL_BUDGET_MS,
    stdin: 'ignore',
  });
  if (result.exitCode !== 0) {
    const tail = `${result.stderr}`.trim().split('\n').slice(-3).join(' | ');
    throw infrastructure(
      `arm ${arm.id}: install step "${shown}" failed (exit ${result.exitCode ?? 'none'}` +
        `${result.timedOut ? `, budget ${INSTALL_BUDGET_MS} ms` : ''}): ${tail}`,
    );
  }
  const ms = Math.round(performance.now() - started);
  logger.info({ kind: 'install', arm: arm.id, ms }, `arm ${arm.id}: installed in ${ms} ms`);
}

async function refuseWithSysboxContainers(arm: Arm, docker: Docker): Promise<void> {
  const running = await listSysboxContainers(docker);
  if (running.length === 0) return;
  const names = running.map((container) => container.name).join(', ');
  throw hostNotReady(
    `arm ${arm.id}: refusing to switch Sysbox with Sysbox containers running: ${names}`,
    `docker stop ${running.map((container) => container.name).join(' ')}`,
  );
}
