import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import type { Logger } from '../harness/log/logger.ts';

const PREFIX = '.build-';

/**
 * A scratch directory inside the cache dir (so finished files can be renamed into place),
 * removed with whatever debootstrap left mounted in it when the scope ends.
 */
export interface BuildDir extends AsyncDisposable {
  readonly path: string;
}

export async function createBuildDir(cacheDir: string): Promise<BuildDir> {
  await mkdir(cacheDir, { recursive: true });
  const path = await mkdtemp(join(cacheDir, `${PREFIX}${process.pid}-`));
  return { path, [Symbol.asyncDispose]: () => removeBuildDir(path) };
}

/** Removes scratch dirs of builds whose process is gone (killed mid-build). */
export async function sweepAbandonedBuildDirs(cacheDir: string, logger: Logger): Promise<void> {
  const entries = await readdir(cacheDir).catch(() => [] as string[]);
  for (const entry of entries) {
    const pid = Number(/^\.build-(\d+)-/.exec(entry)?.[1]);
    if (!pid || isAlive(pid)) continue;
    logger.info({ kind: 'image', path: join(cacheDir, entry) }, 'removing abandoned build dir');
    await removeBuildDir(join(cacheDir, entry));
  }
}

async function removeBuildDir(path: string): Promise<void> {
  // A killed debootstrap can leave proc/sys mounted in the target; never recurse into them.
  for (const mountPoint of (await mountPointsUnder(path)).reverse()) {
    await execa('umount', ['--lazy', mountPoint]);
  }
  await rm(path, { recursive: true, force: true });
}

async function mountPointsUnder(dir: string): Promise<string[]> {
  const mountinfo = await readFile('/proc/self/mountinfo', 'utf8');
  return mountinfo
    .split('\n')
    .map((line) => unescapeMountPath(line.split(' ')[4] ?? ''))
    .filter((mountPoint) => mountPoint.startsWith(`${dir}/`))
    .sort();
}

// mountinfo escapes space, tab, newline and backslash as octal (\040 ...).
const unescapeMountPath = (path: string) =>
  path.replace(/\\([0-7]{3})/g, (_, octal: string) =>
    String.fromCharCode(Number.parseInt(octal, 8)),
  );

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
