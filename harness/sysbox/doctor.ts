import { isHarnessError } from '../errors/harness-error.ts';
import { checkSamplerCoreSetting, samplerCore } from '../measure/native-core.ts';
import { NATIVE_BUILD_HINT } from '../native/addons.ts';
import { assertDockerReachable, type Docker } from '../runtime/docker-client.ts';
import {
  type LeftoverContainer,
  listLeftoverContainers,
  listSysboxContainers,
  type SysboxContainer,
} from './containers.ts';
import type { DaemonState } from './daemons.ts';
import { checkDeviceNode, type DeviceNodeCheck } from './devices.ts';
import { readCgroupVersion } from './fingerprint.ts';
import { readSysboxInstallation, type SysboxInstallation } from './installation.ts';
import { chooseLogScanner, logScannerAddon } from './logs/log-scanner.ts';

export type CheckStatus = 'ok' | 'warn' | 'fail' | 'absent';

export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  detail: string;
  /** The command (or step) that fixes it. */
  fix?: string;
  /** Failed on a setting the user gave (an environment variable), not on the host. */
  badSetting?: boolean;
}

export interface DockerFacts {
  version: string;
  apiVersion: string;
  runtimes: string[];
  defaultRuntime: string | null;
  cgroupVersion: 1 | 2;
  cgroupDriver: string | null;
}

export interface DoctorReport {
  /** The OCI runtime the checks were made for. */
  runtime: string;
  /** Whether a run with that runtime can proceed: no check failed. */
  ready: boolean;
  /** What a run would end with here: a bad setting is bad input, as `run` itself says. */
  outcome: 'ok' | 'bad-input' | 'host-not-ready';
  checks: DoctorCheck[];
  docker: DockerFacts | null;
  sysbox: SysboxInstallation;
  otherSysboxContainers: SysboxContainer[];
  otherSysboxContainersAllowed: boolean;
  devices: DeviceNodeCheck[];
}

export interface DoctorOptions {
  docker: Docker;
  devices?: string[];
  runtime?: string;
  /** Let a measurement share sysbox-fs with other Sysbox containers (the report says so). */
  allowOtherSysboxContainers?: boolean;
}

export const SYSBOX_INSTALL_HINT =
  'install Sysbox from the sysbox-ce .deb on https://github.com/nestybox/sysbox/releases ' +
  '(apt-get install ./sysbox-ce_<version>-0.linux_<arch>.deb); the harness cannot install it';

const SYSBOX_RUNTIME = 'sysbox-runc';

/** Everything a run needs from the host, each problem with its fix. Also a run's preflight. */
export async function runDoctor(options: DoctorOptions): Promise<DoctorReport> {
  const runtime = options.runtime ?? SYSBOX_RUNTIME;
  const needsSysbox = runtime === SYSBOX_RUNTIME;
  const allowOthers = options.allowOtherSysboxContainers ?? false;
  const checks: DoctorCheck[] = [];

  const [docker, sysbox, devices] = await Promise.all([
    readDockerFacts(options.docker, checks),
    readSysboxInstallation(),
    Promise.all((options.devices ?? []).map((path) => checkDeviceNode(path))),
  ]);
  const others = docker === null ? [] : await listSysboxContainers(options.docker);
  const leftovers = docker === null ? [] : await listLeftoverContainers(options.docker);

  const installed = Object.values(sysbox.components).some((reading) => reading.found);
  if (docker !== null) checks.push(...dockerChecks(docker, runtime, installed));
  checks.push(...sysboxChecks(sysbox, needsSysbox));
  checks.push(othersCheck(others, needsSysbox, allowOthers));
  if (docker !== null) checks.push(leftoversCheck(leftovers));
  checks.push(...devices.map((device) => deviceCheck(device, needsSysbox)));
  checks.push(samplerCheck());
  checks.push(logScannerCheck());

  return {
    runtime,
    ready: checks.every((check) => check.status !== 'fail'),
    outcome: doctorOutcome(checks),
    checks,
    docker,
    sysbox,
    otherSysboxContainers: others,
    otherSysboxContainersAllowed: allowOthers,
    devices,
  };
}

/** A failed setting the user gave is bad input, as `run` calls it; else the host is not ready. */
export function doctorOutcome(checks: readonly DoctorCheck[]): DoctorReport['outcome'] {
  const failed = checks.filter((check) => check.status === 'fail');
  if (failed.length === 0) return 'ok';
  return failed.some((check) => check.badSetting) ? 'bad-input' : 'host-not-ready';
}

/** Whether CPU rounds can run on the native thread; without it they cost more. */
function samplerCheck(): DoctorCheck {
  try {
    checkSamplerCoreSetting();
  } catch (error) {
    const { message, hint } = error as { message: string; hint?: string };
    return {
      name: 'sampler',
      status: 'fail',
      detail: message,
      ...(hint ? { fix: hint } : {}),
      ...(isHarnessError(error, 'bad-input') ? { badSetting: true } : {}),
    };
  }
  const core = samplerCore();
  if ('addon' in core) {
    return { name: 'sampler', status: 'ok', detail: 'native sampling thread built' };
  }
  return {
    name: 'sampler',
    status: 'warn',
    detail: `rounds will run on a Node thread, at more CPU: ${core.missing}`,
    fix: NATIVE_BUILD_HINT,
  };
}

/**
 * Which scanner `analyze` reads logs with. Only `analyze` uses it, so a missing native
 * scanner is a warning here, never a reason to stop a run; a misspelt setting fails, as it
 * fails `analyze` (bad input), so that doctor does not pass what analyze then refuses.
 */
export function logScannerCheck(): DoctorCheck {
  const name = 'log scanner';
  let choice: string;
  try {
    choice = chooseLogScanner();
  } catch (error) {
    const { message, hint } = error as { message: string; hint?: string };
    const badSetting = isHarnessError(error, 'bad-input');
    return {
      name,
      status: badSetting ? 'fail' : 'warn',
      detail: message,
      ...(hint ? { fix: hint } : {}),
      ...(badSetting ? { badSetting } : {}),
    };
  }
  if (choice === 'native') return { name, status: 'ok', detail: 'native log scanner built' };
  const addon = logScannerAddon();
  if ('addon' in addon) return { name, status: 'ok', detail: 'JavaScript scanner, as asked' };
  return {
    name,
    status: 'warn',
    detail: `analyze will scan lines in JavaScript, at about half the speed: ${addon.missing}`,
    fix: NATIVE_BUILD_HINT,
  };
}

/**
 * The Sysbox version expectations are matched against: the one all components agree on,
 * else sysbox-fs's own (the daemon the bug lives in); null when Sysbox is absent.
 */
export function sysboxVersion(report: Pick<DoctorReport, 'sysbox'>): string | null {
  return report.sysbox.version ?? report.sysbox.components['sysbox-fs'].parsed?.version ?? null;
}

async function readDockerFacts(docker: Docker, checks: DoctorCheck[]): Promise<DockerFacts | null> {
  try {
    await assertDockerReachable(docker);
    const [version, info] = await Promise.all([docker.version(), docker.info()]);
    const facts = info as {
      Runtimes?: Record<string, unknown>;
      DefaultRuntime?: string;
      CgroupVersion?: string;
      CgroupDriver?: string;
    };
    return {
      version: version.Version,
      apiVersion: version.ApiVersion,
      runtimes: Object.keys(facts.Runtimes ?? {}).sort(),
      defaultRuntime: facts.DefaultRuntime ?? null,
      cgroupVersion: await readCgroupVersion(facts.CgroupVersion),
      cgroupDriver: facts.CgroupDriver ?? null,
    };
  } catch (error) {
    const hint = (error as { hint?: string }).hint;
    checks.push({
      name: 'docker engine',
      status: 'fail',
      detail: error instanceof Error ? error.message : String(error),
      fix: hint ?? 'systemctl start docker',
    });
    return null;
  }
}

function dockerChecks(
  docker: DockerFacts,
  runtime: string,
  sysboxInstalled: boolean,
): DoctorCheck[] {
  const checks: DoctorCheck[] = [
    {
      name: 'docker engine',
      status: 'ok',
      detail: `Docker Engine ${docker.version} (API ${docker.apiVersion})`,
    },
    {
      name: 'cgroup',
      status: 'ok',
      detail: `cgroup v${docker.cgroupVersion}, driver ${docker.cgroupDriver ?? 'unknown'}`,
    },
  ];
  const registered = docker.runtimes.join(', ');
  if (docker.runtimes.includes(runtime)) {
    checks.push({ name: `runtime ${runtime}`, status: 'ok', detail: `registered (${registered})` });
  } else {
    checks.push({
      name: `runtime ${runtime}`,
      status: 'fail',
      detail: `not registered with Docker (registered: ${registered})`,
      fix: registerRuntimeFix(runtime, sysboxInstalled),
    });
  }
  if (runtime !== SYSBOX_RUNTIME && !docker.runtimes.includes(SYSBOX_RUNTIME)) {
    checks.push({
      name: `runtime ${SYSBOX_RUNTIME}`,
      status: 'absent',
      detail: 'not registered with Docker (not needed for this runtime)',
      fix: registerRuntimeFix(SYSBOX_RUNTIME, sysboxInstalled),
    });
  }
  return checks;
}

function registerRuntimeFix(runtime: string, sysboxInstalled = true): string {
  if (runtime !== SYSBOX_RUNTIME) return `register ${runtime} in /etc/docker/daemon.json`;
  // The sysbox-ce package registers the runtime itself; registering a missing binary helps nobody.
  if (!sysboxInstalled)
    return 'install Sysbox (see the sysbox row): its package registers sysbox-runc';
  return (
    'add "runtimes": {"sysbox-runc": {"path": "/usr/bin/sysbox-runc"}} to ' +
    '/etc/docker/daemon.json, then kill -HUP $(pidof dockerd)'
  );
}

function sysboxChecks(sysbox: SysboxInstallation, needed: boolean): DoctorCheck[] {
  const found = Object.values(sysbox.components).filter((reading) => reading.found);
  if (found.length === 0 && sysbox.package === null) {
    return [
      {
        name: 'sysbox',
        status: needed ? 'fail' : 'absent',
        detail: 'not installed (no sysbox-runc, sysbox-mgr or sysbox-fs on PATH, no sysbox-ce)',
        fix: SYSBOX_INSTALL_HINT,
      },
    ];
  }
  const checks: DoctorCheck[] = [];
  for (const reading of Object.values(sysbox.components)) {
    const parsed = reading.parsed;
    checks.push(
      parsed !== null
        ? {
            name: reading.binary,
            status: 'ok',
            detail: `${parsed.version ?? '?'} ${parsed.edition ?? ''} commit ${parsed.commit ?? '?'}`,
          }
        : {
            name: reading.binary,
            status: needed ? 'fail' : 'warn',
            detail: reading.error ?? 'not found on PATH',
            fix: SYSBOX_INSTALL_HINT,
          },
    );
  }
  checks.push({
    name: 'sysbox-ce package',
    status: sysbox.package === null ? 'warn' : 'ok',
    detail: sysbox.package ?? 'no sysbox-ce package known to dpkg (binaries installed otherwise)',
  });
  checks.push(
    sysbox.agree
      ? { name: 'sysbox versions', status: 'ok', detail: `all agree: ${sysbox.version}` }
      : {
          name: 'sysbox versions',
          status: needed ? 'fail' : 'warn',
          detail: `components disagree: ${sysbox.disagreement}`,
          fix:
            'reinstall one sysbox-ce package so all three binaries come from it ' +
            '(apt-get install --reinstall ./sysbox-ce_<version>-0.linux_<arch>.deb)',
        },
  );
  for (const daemon of Object.values(sysbox.daemons)) checks.push(daemonCheck(daemon, needed));
  checks.push(fsLogCheck(sysbox));
  return checks;
}

function daemonCheck(daemon: DaemonState, needed: boolean): DoctorCheck {
  const name = `${daemon.name} daemon`;
  const pids = daemon.pids.join(', ');
  if (daemon.mode === 'systemd-unit' && daemon.unit !== null) {
    const { unit } = daemon;
    const detail = `unit ${unit.name} ${unit.activeState}/${unit.subState}, pid ${unit.mainPid}`;
    return { name, status: 'ok', detail };
  }
  if (daemon.mode === 'process') {
    return { name, status: 'ok', detail: `process (not a systemd unit), pid ${pids}` };
  }
  const unitState = daemon.unit ? ` (unit ${daemon.unit.activeState}/${daemon.unit.subState})` : '';
  return {
    name,
    status: needed ? 'fail' : 'warn',
    detail: `not running${unitState}`,
    fix: daemon.unit
      ? 'systemctl start sysbox'
      : `start ${daemon.name} (e.g. systemctl start sysbox)`,
  };
}

function fsLogCheck(sysbox: SysboxInstallation): DoctorCheck {
  const log = sysbox.fsLog;
  if (log === null)
    return { name: 'sysbox-fs log', status: 'warn', detail: 'sysbox-fs not running' };
  const where =
    log.destination === 'journal'
      ? `journal (journalctl -u ${log.path})`
      : log.destination === 'file'
        ? `file ${log.path}`
        : `unknown (${log.detail})`;
  const detail = `${where}, level ${log.level} (${log.levelFrom}), format ${log.format}`;
  if (log.level === 'debug') {
    return {
      name: 'sysbox-fs log',
      status: 'warn',
      detail: `${detail}; debug logging costs CPU itself and distorts CPU measurements`,
      fix:
        'remove the --log-level debug drop-in under /etc/systemd/system/sysbox-fs.service.d/, ' +
        'then systemctl daemon-reload && systemctl restart sysbox (no Sysbox containers running)',
    };
  }
  if (log.destination === 'unknown') {
    return {
      name: 'sysbox-fs log',
      status: 'warn',
      detail: `${detail}; the harness cannot follow it`,
      fix: 'run sysbox-fs as the sysbox-fs.service unit, or with --log <file>',
    };
  }
  return { name: 'sysbox-fs log', status: 'ok', detail };
}

function othersCheck(others: SysboxContainer[], needed: boolean, allowed: boolean): DoctorCheck {
  const name = 'other sysbox containers';
  if (others.length === 0) return { name, status: 'ok', detail: 'none running' };
  const list = others.map((container) => `${container.name} (${container.id})`).join(', ');
  const detail = `${others.length} running, sharing sysbox-fs and polluting its CPU: ${list}`;
  const fix = `docker stop ${others.map((container) => container.name).join(' ')}`;
  if (needed && !allowed) return { name, status: 'fail', detail, fix };
  const note = allowed ? '; allowed explicitly, the report records it' : '';
  return { name, status: 'warn', detail: `${detail}${note}`, fix };
}

/**
 * Containers of runs that ended without removing them. They take CPU and memory from what a
 * run measures, but removing another process's containers unasked is not the harness's call.
 */
function leftoversCheck(leftovers: LeftoverContainer[]): DoctorCheck {
  const name = 'leftover containers';
  if (leftovers.length === 0) return { name, status: 'ok', detail: 'none from ended runs' };
  const list = leftovers.map((container) => `${container.name} (${container.state})`).join(', ');
  return {
    name,
    status: 'warn',
    detail: `${leftovers.length} from runs that ended without removing them (killed?): ${list}`,
    fix: `docker rm -f ${leftovers.map((container) => container.id).join(' ')}`,
  };
}

function deviceCheck(device: DeviceNodeCheck, needsSysbox: boolean): DoctorCheck {
  const name = `device ${device.path}`;
  if (device.problem === null) {
    const detail = `char ${device.major}:${device.minor}, mode ${device.mode}`;
    return { name, status: 'ok', detail };
  }
  // Only Sysbox needs "others" rw (devices appear as nobody:nogroup inside); runc does not.
  const modeOnly = device.present && device.characterDevice && !device.othersReadWrite;
  const status = modeOnly && !needsSysbox ? 'warn' : 'fail';
  return { name, status, detail: device.problem, fix: device.fix ?? undefined };
}
