import { type DaemonState, readDaemonState } from './daemons.ts';
import { runHostCommand } from './host-command.ts';
import { type FsLogSetup, readFsLogSetup } from './log-setup.ts';
import { type ComponentVersion, parseVersionOutput, upstreamVersion } from './version-output.ts';

export const SYSBOX_COMPONENTS = ['sysbox-runc', 'sysbox-mgr', 'sysbox-fs'] as const;
export type SysboxComponent = (typeof SYSBOX_COMPONENTS)[number];

export interface ComponentReading {
  binary: SysboxComponent;
  found: boolean;
  parsed: ComponentVersion | null;
  /** Why there is no parsed version although the binary exists. */
  error: string | null;
}

export interface SysboxInstallation {
  components: Record<SysboxComponent, ComponentReading>;
  /** dpkg's version of sysbox-ce, e.g. `0.6.5-0.linux`; null without dpkg or package. */
  package: string | null;
  /** The version all found components print, null when none is found or they differ. */
  version: string | null;
  edition: string | null;
  /** Components and package agree on version and edition; null when nothing is installed. */
  agree: boolean | null;
  disagreement: string | null;
  daemons: Record<'sysbox-mgr' | 'sysbox-fs', DaemonState>;
  fsLog: FsLogSetup | null;
}

export async function readSysboxInstallation(): Promise<SysboxInstallation> {
  const [runc, mgr, fs, packageVersion, mgrDaemon, fsDaemon] = await Promise.all([
    readComponent('sysbox-runc'),
    readComponent('sysbox-mgr'),
    readComponent('sysbox-fs'),
    readPackageVersion(),
    readDaemonState('sysbox-mgr'),
    readDaemonState('sysbox-fs'),
  ]);
  const components = { 'sysbox-runc': runc, 'sysbox-mgr': mgr, 'sysbox-fs': fs };
  const agreement = compareVersions(Object.values(components), packageVersion);
  return {
    components,
    package: packageVersion,
    ...agreement,
    daemons: { 'sysbox-mgr': mgrDaemon, 'sysbox-fs': fsDaemon },
    fsLog: await readFsLogSetup(fsDaemon),
  };
}

async function readComponent(binary: SysboxComponent): Promise<ComponentReading> {
  const outcome = await runHostCommand(binary, ['--version']);
  if (!outcome.found) return { binary, found: false, parsed: null, error: null };
  const parsed = parseVersionOutput(outcome.stdout);
  const error = parsed === null ? `unreadable --version output: ${outcome.stdout.trim()}` : null;
  return { binary, found: true, parsed, error };
}

// dpkg-query's own format syntax, not a template placeholder.
const DPKG_VERSION_FORMAT = '-f=$' + '{Version}';

async function readPackageVersion(): Promise<string | null> {
  const outcome = await runHostCommand('dpkg-query', ['-W', DPKG_VERSION_FORMAT, 'sysbox-ce']);
  if (!outcome.found || outcome.exitCode !== 0) return null;
  return outcome.stdout.trim() || null;
}

export function compareVersions(
  readings: readonly ComponentReading[],
  packageVersion: string | null,
): Pick<SysboxInstallation, 'version' | 'edition' | 'agree' | 'disagreement'> {
  const parsed = readings.filter((reading) => reading.parsed !== null);
  if (parsed.length === 0 && packageVersion === null) {
    return { version: null, edition: null, agree: null, disagreement: null };
  }
  const versions = new Set(parsed.map((reading) => reading.parsed?.version ?? 'unknown'));
  const editions = new Set(parsed.map((reading) => reading.parsed?.edition ?? 'unknown'));
  if (packageVersion !== null) versions.add(upstreamVersion(packageVersion));

  const describe = parsed.map((r) => `${r.binary} ${r.parsed?.version} (${r.parsed?.edition})`);
  if (packageVersion !== null) describe.push(`package sysbox-ce ${packageVersion}`);
  const missing = readings.filter((reading) => !reading.found).map((reading) => reading.binary);
  const agree = versions.size === 1 && editions.size <= 1 && missing.length === 0;
  let disagreement: string | null = null;
  if (!agree) {
    const absent = missing.length > 0 ? `; missing: ${missing.join(', ')}` : '';
    disagreement = `${describe.join(', ')}${absent}`;
  }
  const [version] = versions;
  const [edition] = editions;
  return {
    version: agree && version !== 'unknown' ? (version ?? null) : null,
    edition: agree && edition !== 'unknown' ? (edition ?? null) : null,
    agree,
    disagreement,
  };
}
