import { type SystemContainerSpec, toCreateOptions } from './system-container.ts';

const spec: SystemContainerSpec = {
  name: 'c1',
  image: 'sysbox-repro/systemd-trixie:latest',
  runtime: 'sysbox-runc',
  devices: ['/dev/dri/renderD128'],
  network: 'none',
  env: { A: '1' },
  labels: { 'sysbox-repro.scenario': 's' },
};

describe('system container options', () => {
  it('passes devices through at the same path with rwm access', () => {
    const options = toCreateOptions(spec);

    expect(options.HostConfig?.Devices).toEqual([
      {
        PathOnHost: '/dev/dri/renderD128',
        PathInContainer: '/dev/dri/renderD128',
        CgroupPermissions: 'rwm',
      },
    ]);
  });

  it('asks Sysbox for nothing it forbids and no extra capabilities', () => {
    const host = toCreateOptions(spec).HostConfig ?? {};

    expect(host.Runtime).toBe('sysbox-runc');
    expect(host.Privileged).toBeUndefined();
    expect(host.CapAdd).toBeUndefined();
    expect(host.NetworkMode).toBe('none');
    expect(host.PidMode).toBeUndefined();
    expect(host.UsernsMode).toBeUndefined();
  });

  it('gives systemd under runc what it needs to run e2scrub_reap', () => {
    const host = toCreateOptions({ ...spec, runtime: 'runc' }).HostConfig as Record<
      string,
      unknown
    >;

    expect(host.CapAdd).toEqual(['SYS_ADMIN', 'SYS_RAWIO']);
    expect(host.CgroupnsMode).toBe('private');
  });

  it('labels every container so a stray one can be found', () => {
    const options = toCreateOptions(spec);

    expect(options.Labels).toEqual({ 'sysbox-repro': '1', 'sysbox-repro.scenario': 's' });
    expect(options.Env).toEqual(['A=1']);
    expect(options.NetworkDisabled).toBe(true);
  });
});
