import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  cleanEvidence,
  loadProfile,
  recorded,
  stormEvidence,
} from '../../analysis/fixtures/recorded-runs.ts';
import { host, report, scenarioResult } from '../../analysis/fixtures/reports.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = mkdtempSync(path.join(tmpdir(), 'sysbox-repro-compare-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

function write(name: string, content: unknown): string {
  const file = path.join(dir, name);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

function compare(...args: string[]) {
  const result = spawnSync(
    path.join(root, 'node_modules/.bin/node'),
    [path.join(root, 'bin/sysbox-repro.js'), 'compare', ...args],
    { encoding: 'utf8' },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const storm = write(
  'storm.json',
  report('old', [
    scenarioResult(
      recorded({
        load: loadProfile({ stormFrom: 12 }),
        evidence: stormEvidence(),
        sysboxVersion: '0.6.4',
      }),
    ),
  ]),
);
const clean = write(
  'clean.json',
  report('fixed', [
    scenarioResult(
      recorded({ load: loadProfile({}), evidence: cleanEvidence(), sysboxVersion: '0.6.5' }),
    ),
  ]),
);

describe('sysbox-repro compare', () => {
  it('exits 0 and prints a table when b fixed what a showed', () => {
    const result = compare(storm, clean);

    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^noble-render-storm\s+storm -> clean\s+9\d\.\d %\s+0\.\d %/m);
    expect(result.stdout).toContain('outcome: ok');
  });

  it('exits 1 when b regressed, and prints JSON on request', () => {
    const result = compare(clean, storm, '--json');

    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout).scenarios[0].outcome).toBe('regressed');
  });

  it('exits 2 naming the file and field of a bad report', () => {
    const broken = write('broken.json', { ...report('x', []), exitCode: 'zero' });

    const result = compare(storm, broken);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`report ${broken}: field exitCode:`);
  });

  it('exits 2 on a file that is not JSON', () => {
    const result = compare(storm, write('text.json', 'time="2026-12-03 13:57:16" level=info'));

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not JSON');
  });

  it('exits 2 with one line that names a missing report and where reports are', () => {
    const missing = path.join(dir, 'no-such-report.json');

    const result = compare(storm, missing);

    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain(`report ${missing}: no such file`);
    expect(result.stderr).toContain('reports/latest/report.json');
  });

  it('refuses reports from different hosts unless forced', () => {
    const fixedElsewhere = scenarioResult(
      recorded({ load: loadProfile({}), evidence: cleanEvidence(), sysboxVersion: '0.6.5' }),
    );
    const elsewhere = write(
      'elsewhere.json',
      report('other', [fixedElsewhere], host({ hostname: 'ci-runner-7' })),
    );

    const refused = compare(storm, elsewhere);
    const forced = compare(storm, elsewhere, '--force');

    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('different hosts: hostname (ci-runner-3 vs ci-runner-7)');
    expect(forced.code).toBe(0);
    expect(forced.stdout).toContain('host differs (forced): hostname: ci-runner-3 vs ci-runner-7');
  });
});
