import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  checkRootfsCache,
  commitRootfsTarball,
  type RootfsCacheSlot,
  rootfsCacheSlot,
  sha256OfFile,
} from './rootfs-cache.ts';

const KEY = 'a'.repeat(64);
const OTHER_KEY = 'b'.repeat(64);
const TARBALL_BYTES = Buffer.from(
  'not really a tarball, but bytes with a known hash\n'.repeat(500),
);

const metadata = (key: string) => ({
  key,
  suite: 'trixie',
  packages: ['dbus', 'systemd'],
  mirror: 'http://deb.debian.org/debian',
  recipeVersion: 1,
  systemdVersion: '257.13-1~deb13u1',
});

let cacheDir: string;
let slot: RootfsCacheSlot;

beforeEach(async () => {
  cacheDir = await mkdtemp(join(tmpdir(), 'rootfs-cache-'));
  slot = rootfsCacheSlot(cacheDir, 'trixie');
});

afterEach(() => rm(cacheDir, { recursive: true, force: true }));

async function commitTarball(key = KEY) {
  const finished = join(cacheDir, 'finished.tar');
  await writeFile(finished, TARBALL_BYTES);
  return commitRootfsTarball(slot, finished, metadata(key));
}

describe('commitRootfsTarball', () => {
  it('moves the tarball into the slot and records its size and sha256', async () => {
    const sidecar = await commitTarball();

    expect(sidecar.size).toBe(TARBALL_BYTES.length);
    expect(sidecar.sha256).toBe(createHash('sha256').update(TARBALL_BYTES).digest('hex'));
    expect(JSON.parse(await readFile(slot.sidecar, 'utf8'))).toEqual(sidecar);
    expect((await readdir(cacheDir)).sort()).toEqual([
      'debian-trixie-rootfs.json',
      'debian-trixie-rootfs.tar',
    ]);
  });
});

describe('checkRootfsCache', () => {
  it('finds an empty slot missing', async () => {
    expect(await checkRootfsCache(slot, KEY)).toEqual({ status: 'missing' });
  });

  it('accepts a tarball that matches its sidecar and key', async () => {
    const sidecar = await commitTarball();

    expect(await checkRootfsCache(slot, KEY)).toEqual({ status: 'valid', sidecar });
  });

  it('calls a tarball made for another key stale', async () => {
    await commitTarball(OTHER_KEY);

    const state = await checkRootfsCache(slot, KEY);

    expect(state).toEqual({ status: 'stale', reason: expect.stringContaining('bbbbbbbbbbbb') });
  });

  it('catches a truncated tarball by its size', async () => {
    await commitTarball();
    await truncate(slot.tarball, 1000);

    const state = await checkRootfsCache(slot, KEY);

    expect(state).toEqual({ status: 'corrupt', reason: expect.stringContaining('1000 bytes') });
  });

  it('catches a tarball of the right size with other bytes by its sha256', async () => {
    await commitTarball();
    const flipped = Buffer.from(TARBALL_BYTES);
    flipped[100] = (flipped[100] ?? 0) ^ 0xff;
    await writeFile(slot.tarball, flipped);

    const state = await checkRootfsCache(slot, KEY);

    expect(state).toEqual({ status: 'corrupt', reason: expect.stringContaining('sha256') });
  });

  it('treats a tarball without sidecar (crash before the sidecar was written) as corrupt', async () => {
    await commitTarball();
    await rm(slot.sidecar);

    expect(await checkRootfsCache(slot, KEY)).toMatchObject({ status: 'corrupt' });
  });

  it('treats a sidecar without tarball as corrupt', async () => {
    await commitTarball();
    await rm(slot.tarball);

    expect(await checkRootfsCache(slot, KEY)).toMatchObject({ status: 'corrupt' });
  });

  it.each([
    ['not JSON', '{"key": "aaa'],
    ['missing fields', JSON.stringify({ key: KEY })],
  ])('treats a sidecar that is %s as corrupt', async (_, text) => {
    await commitTarball();
    await writeFile(slot.sidecar, text);

    expect(await checkRootfsCache(slot, KEY)).toMatchObject({ status: 'corrupt' });
  });
});

describe('sha256OfFile', () => {
  // Golden made with: printf 'abc' | sha256sum
  it('hashes the file contents', async () => {
    const file = join(cacheDir, 'abc');
    await writeFile(file, 'abc');

    expect(await sha256OfFile(file)).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });
});
