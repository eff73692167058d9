import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const entry = new URL('../../bin/sysbox-repro.js', import.meta.url).pathname;

// The host's own Node, where it is older than 24 (Debian 12 ships 20).
const systemNode = '/usr/bin/node';
const systemMajor = existsSync(systemNode)
  ? Number(execFileSync(systemNode, ['-p', 'process.versions.node.split(".")[0]']).toString())
  : undefined;
const withOldNode = systemMajor !== undefined && systemMajor < 24 ? it : it.skip;

describe('runtime', () => {
  it('runs on Node 24 or newer', () => {
    const major = Number(process.versions.node.split('.')[0]);

    expect(major).toBeGreaterThanOrEqual(24);
  });

  withOldNode(`refuses an older Node as a host that is not ready (${systemNode})`, () => {
    const result = spawnSync(systemNode, [entry, '--version'], { encoding: 'utf8' });
    expect(result.status).toBe(129);
    expect(result.stderr).toMatch(/^sysbox-repro: needs Node >= 24, found \d+\.\d+\.\d+; run it/);
  });
});
