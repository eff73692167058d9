import { execa } from 'execa';
import { TRIXIE_IMAGE } from '../../test/integration/fixtures/scenario-files.ts';
import { OWNER_LABEL, ownerOfThisProcess } from '../runtime/container-owner.ts';
import { dockerClient } from '../runtime/docker-client.ts';
import { LABEL_PREFIX } from '../runtime/system-container.ts';
import { runDoctor, SYSBOX_INSTALL_HINT, sysboxVersion } from './doctor.ts';
import { readHostFingerprint } from './fingerprint.ts';

// Against the real engine of this host (Docker 20.10, cgroup v1, no Sysbox installed).
describe('runDoctor on this host', () => {
  const docker = dockerClient();

  it('reports Docker as the docker CLI sees it', async () => {
    const report = await runDoctor({ docker, runtime: 'runc' });
    const server = await execa('docker', ['version', '--format', '{{.Server.Version}}']);
    const runtimes = await execa('docker', ['info', '--format', '{{json .Runtimes}}']);

    expect(report.docker?.version).toBe(server.stdout.trim());
    expect(report.docker?.runtimes).toEqual(Object.keys(JSON.parse(runtimes.stdout)).sort());
  });

  it('is ready for runc and not for sysbox-runc when Sysbox is absent', async () => {
    const runc = await runDoctor({ docker, runtime: 'runc', devices: ['/dev/null'] });
    const sysbox = await runDoctor({ docker, runtime: 'sysbox-runc' });
    const installed = runc.sysbox.components['sysbox-fs'].found;
    if (installed) return; // a Sysbox host: the absent case does not apply

    expect(runc.ready).toBe(true);
    expect(runc.checks.find((check) => check.name === 'sysbox')).toMatchObject({
      status: 'absent',
      fix: SYSBOX_INSTALL_HINT,
    });
    expect(sysbox.ready).toBe(false);
    expect(sysbox.checks.filter((check) => check.status === 'fail').map((c) => c.name)).toEqual([
      'runtime sysbox-runc',
      'sysbox',
    ]);
    expect(sysboxVersion(sysbox)).toBeNull();
  });

  it('says whether CPU rounds run on the native thread', async () => {
    const report = await runDoctor({ docker, runtime: 'runc' });
    const sampler = report.checks.find((check) => check.name === 'sampler');
    const nodeThread = process.env.SYSBOX_REPRO_SAMPLER_CORE === 'js';
    expect(sampler?.status).toBe(nodeThread ? 'warn' : 'ok');
    if (nodeThread) expect(sampler?.fix).toContain('npm run install');
  });

  it('calls a bad sampler setting bad input, as run does, not an unready host', async () => {
    const setting = process.env.SYSBOX_REPRO_SAMPLER_CORE;
    process.env.SYSBOX_REPRO_SAMPLER_CORE = 'bogus';
    try {
      const report = await runDoctor({ docker, runtime: 'runc' });

      expect(report.ready).toBe(false);
      expect(report.outcome).toBe('bad-input');
      expect(report.checks.find((check) => check.name === 'sampler')).toMatchObject({
        status: 'fail',
        badSetting: true,
      });
    } finally {
      if (setting === undefined) delete process.env.SYSBOX_REPRO_SAMPLER_CORE;
      else process.env.SYSBOX_REPRO_SAMPLER_CORE = setting;
    }
  });

  it('fingerprints the host', async () => {
    const fingerprint = await readHostFingerprint(docker);
    const cgroup = await execa('docker', ['info', '--format', '{{.CgroupVersion}}']);

    expect(fingerprint.cgroupVersion).toBe(Number(cgroup.stdout.trim()));
    expect(fingerprint.docker.apiVersion).toMatch(/^1\.\d+$/);
    expect(fingerprint.cores).toBeGreaterThan(0);
  });

  it('names containers of runs that ended without removing them, and only those', async () => {
    const tag = `doctor-leftovers-${process.pid}`;
    const owners = {
      ended: '999999999:1', // no such pid
      reused: `${process.pid}:1`, // this pid, but started at another time
      none: undefined, // a container from a harness before the owner label
      live: ownerOfThisProcess(),
    };
    const names = Object.keys(owners).map((owner) => `${tag}-${owner}`);
    try {
      for (const [owner, label] of Object.entries(owners)) {
        const labels = ['--label', `${LABEL_PREFIX}=1`];
        if (label) labels.push('--label', `${OWNER_LABEL}=${label}`);
        const name = `${tag}-${owner}`;
        await execa('docker', [
          'create',
          '--network',
          'none',
          '--name',
          name,
          ...labels,
          TRIXIE_IMAGE,
        ]);
      }

      const report = await runDoctor({ docker, runtime: 'runc' });
      const row = report.checks.find((check) => check.name === 'leftover containers');
      expect(row?.status).toBe('warn');
      for (const owner of ['ended', 'reused', 'none']) {
        expect(row?.detail).toContain(`${tag}-${owner} (created)`);
      }
      expect(row?.detail).not.toContain(`${tag}-live`);
      expect(row?.fix).toMatch(/^docker rm -f [0-9a-f]{12}( [0-9a-f]{12})*$/);
    } finally {
      await execa('docker', ['rm', '-f', ...names], { reject: false });
    }
  });
});
