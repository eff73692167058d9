import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rename, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import writeFileAtomic from 'write-file-atomic';
import { z } from 'zod';

/** What the sidecar next to a cached tarball records, and what verification checks. */
const sidecarSchema = z.object({
  key: z.string().regex(/^[0-9a-f]{64}$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative(),
  suite: z.string(),
  packages: z.array(z.string()),
  mirror: z.string(),
  recipeVersion: z.number().int(),
  systemdVersion: z.string(),
  createdAt: z.string(),
});

export type RootfsSidecar = z.infer<typeof sidecarSchema>;

/** One cache slot per suite, so a tarball made for another key is found and replaced. */
export interface RootfsCacheSlot {
  readonly tarball: string;
  readonly sidecar: string;
}

export function rootfsCacheSlot(cacheDir: string, suite: string): RootfsCacheSlot {
  return {
    tarball: join(cacheDir, `debian-${suite}-rootfs.tar`),
    sidecar: join(cacheDir, `debian-${suite}-rootfs.json`),
  };
}

export type RootfsCacheState =
  | { status: 'valid'; sidecar: RootfsSidecar }
  | { status: 'missing' }
  | { status: 'stale'; reason: string }
  | { status: 'corrupt'; reason: string };

/** Reads the slot and checks the tarball against its sidecar: key, size, then sha256. */
export async function checkRootfsCache(
  slot: RootfsCacheSlot,
  expectedKey: string,
): Promise<RootfsCacheState> {
  const tarballSize = await sizeOf(slot.tarball);
  const sidecarText = await readFile(slot.sidecar, 'utf8').catch(ignoreMissing);
  if (tarballSize === undefined && sidecarText === undefined) return { status: 'missing' };
  if (sidecarText === undefined) return corrupt(`${slot.sidecar} missing beside the tarball`);
  if (tarballSize === undefined) return corrupt(`${slot.tarball} missing beside its sidecar`);

  const parsed = sidecarSchema.safeParse(parseJson(sidecarText));
  if (!parsed.success) return corrupt(`${slot.sidecar} is not a valid sidecar`);
  const sidecar = parsed.data;
  if (sidecar.key !== expectedKey) {
    return { status: 'stale', reason: `cached key ${short(sidecar.key)} != ${short(expectedKey)}` };
  }
  if (tarballSize !== sidecar.size) {
    return corrupt(`${slot.tarball} has ${tarballSize} bytes, sidecar says ${sidecar.size}`);
  }
  const actual = await sha256OfFile(slot.tarball);
  if (actual !== sidecar.sha256) {
    return corrupt(`${slot.tarball} sha256 ${short(actual)} != ${short(sidecar.sha256)}`);
  }
  return { status: 'valid', sidecar };
}

/**
 * Moves a finished tarball into the slot. The old sidecar goes first and the new one is
 * written last (atomically), so a crash at any point leaves a slot that fails verification.
 * `finishedTarball` must be on the same filesystem as the slot.
 */
export async function commitRootfsTarball(
  slot: RootfsCacheSlot,
  finishedTarball: string,
  metadata: Omit<RootfsSidecar, 'sha256' | 'size' | 'createdAt'>,
): Promise<RootfsSidecar> {
  const size = (await stat(finishedTarball)).size;
  const sha256 = await sha256OfFile(finishedTarball);
  const sidecar: RootfsSidecar = {
    ...metadata,
    sha256,
    size,
    createdAt: new Date().toISOString(),
  };

  await unlink(slot.sidecar).catch(ignoreMissing);
  await rename(finishedTarball, slot.tarball);
  await writeFileAtomic(slot.sidecar, `${JSON.stringify(sidecar, null, 2)}\n`, { fsync: true });
  return sidecar;
}

export async function sha256OfFile(path: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash);
  return hash.digest('hex');
}

async function sizeOf(path: string): Promise<number | undefined> {
  const stats = await stat(path).catch(ignoreMissing);
  return stats?.size;
}

function ignoreMissing(error: NodeJS.ErrnoException): undefined {
  if (error.code === 'ENOENT') return undefined;
  throw error;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const corrupt = (reason: string): RootfsCacheState => ({ status: 'corrupt', reason });

const short = (hex: string) => hex.slice(0, 12);
