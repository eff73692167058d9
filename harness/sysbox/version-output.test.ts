import type { ComponentReading } from './installation.ts';
import { compareVersions } from './installation.ts';
import { parseVersionOutput, upstreamVersion } from './version-output.ts';

// `--version` output as the Sysbox binaries print it: the program name, then one
// "\tkey: \tvalue" line per field.
const RUNC = [
  'sysbox-runc',
  '\tedition: \tCommunity Edition (CE)',
  '\tversion: \t0.6.4',
  '\tcommit: \t0e1a8ab9e5e2d0bbbc1d0d4cb9a2cbbf9e07d1d6',
  '\tbuilt at: \tThu Mar 14 01:29:46 UTC 2024',
  '\tbuilt by: \tRodny Molina',
  '\toci-specs: \t1.1.0+dev',
  '',
].join('\n');

const OLD_FS = [
  'sysbox-fs',
  '\tplatform: \tx86_64',
  '\tversion: \t0.2.1',
  '\tcommit: \tabc',
  '',
].join('\n');

describe('parseVersionOutput', () => {
  it('reads every field of sysbox-runc', () => {
    expect(parseVersionOutput(RUNC)).toMatchObject({
      program: 'sysbox-runc',
      edition: 'Community Edition (CE)',
      version: '0.6.4',
      commit: '0e1a8ab9e5e2d0bbbc1d0d4cb9a2cbbf9e07d1d6',
      builtAt: 'Thu Mar 14 01:29:46 UTC 2024',
      builtBy: 'Rodny Molina',
      ociSpecs: '1.1.0+dev',
    });
  });

  it('takes the old platform field where edition is missing', () => {
    expect(parseVersionOutput(OLD_FS)).toMatchObject({
      edition: 'x86_64',
      version: '0.2.1',
      ociSpecs: null,
    });
  });

  it('returns null for output without fields', () => {
    expect(parseVersionOutput('')).toBeNull();
    expect(parseVersionOutput('sysbox-fs\n')).toBeNull();
  });
});

describe('upstreamVersion', () => {
  it('drops the Debian revision and epoch', () => {
    expect(upstreamVersion('0.6.5-0.linux')).toBe('0.6.5');
    expect(upstreamVersion('1:0.6.5-0.linux')).toBe('0.6.5');
  });
});

describe('compareVersions', () => {
  const reading = (binary: ComponentReading['binary'], version: string): ComponentReading => ({
    binary,
    found: true,
    parsed: parseVersionOutput(RUNC.replace('sysbox-runc', binary).replace('0.6.4', version)),
    error: null,
  });

  it('agrees when all components and the package say the same version', () => {
    const readings = [
      reading('sysbox-runc', '0.6.5'),
      reading('sysbox-mgr', '0.6.5'),
      reading('sysbox-fs', '0.6.5'),
    ];
    expect(compareVersions(readings, '0.6.5-0.linux')).toMatchObject({
      agree: true,
      version: '0.6.5',
      edition: 'Community Edition (CE)',
    });
  });

  it('names the odd one out', () => {
    const readings = [
      reading('sysbox-runc', '0.6.5'),
      reading('sysbox-mgr', '0.6.5'),
      reading('sysbox-fs', '0.6.4'),
    ];
    const result = compareVersions(readings, '0.6.5-0.linux');
    expect(result.agree).toBe(false);
    expect(result.version).toBeNull();
    expect(result.disagreement).toContain('sysbox-fs 0.6.4');
  });

  it('reports nothing when nothing is installed', () => {
    const absent: ComponentReading = {
      binary: 'sysbox-fs',
      found: false,
      parsed: null,
      error: null,
    };
    expect(compareVersions([absent], null)).toEqual({
      agree: null,
      version: null,
      edition: null,
      disagreement: null,
    });
  });
});
