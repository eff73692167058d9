import { parseScenario } from './load.ts';
import { parseImageMap, parseTarget, resolveScenario } from './resolve.ts';

const scenario = parseScenario(
  {
    id: 's',
    title: 's',
    container: { image: 'sysbox-repro/ubuntu-noble-systemd:latest' },
    expect: [{ sysbox: '*', verdict: 'clean' }],
  },
  's.ts',
);

describe('image mapping', () => {
  it('takes repeated flags and comma-separated lists', () => {
    expect(parseImageMap(['a=b,c=d', 'e=f'])).toEqual({ a: 'b', c: 'd', e: 'f' });
  });

  it('keeps digests intact', () => {
    expect(parseImageMap(['x=img@sha256:abc=='])).toEqual({ x: 'img@sha256:abc==' });
  });

  it('rejects an entry without a target', () => {
    expect(() => parseImageMap(['noble'])).toThrow(/"noble" is not of the form from=to/);
    expect(() => parseImageMap(['noble='])).toThrow(/from=to/);
  });

  it('substitutes only the mapped image', () => {
    const local = 'sysbox-repro/systemd-trixie:latest';
    const mapped = resolveScenario(scenario, {
      imageMap: { 'sysbox-repro/ubuntu-noble-systemd:latest': local },
    });

    expect(mapped.container.image).toBe(local);
    expect(resolveScenario(scenario, { imageMap: { other: local } }).container.image).toBe(
      scenario.container.image,
    );
  });
});

describe('target override', () => {
  it('parses every kind of target', () => {
    expect(parseTarget('process:sysbox-mgr')).toEqual({ kind: 'process', name: 'sysbox-mgr' });
    expect(parseTarget('pid:812')).toEqual({ kind: 'pid', pid: 812 });
    expect(parseTarget('cgroup:/system.slice/containerd.service')).toEqual({
      kind: 'cgroup',
      path: '/system.slice/containerd.service',
    });
    expect(parseTarget('container')).toEqual({ kind: 'container' });
  });

  it('rejects what the scenario schema would reject', () => {
    expect(() => parseTarget('pid:x')).toThrow(/target "pid:x" is not one of/);
    expect(() => parseTarget('cgroup:relative')).toThrow(/is not one of/);
    expect(() => parseTarget('process:')).toThrow(/is not one of/);
    // The scenario's own container is the only one: a name after it would be ignored.
    expect(() => parseTarget('container:foo')).toThrow(/target "container:foo" is not one of/);
    expect(() => parseTarget('container:')).toThrow(/is not one of/);
  });

  it('takes a pid only as plain decimal digits', () => {
    for (const pid of ['1e3', '0x10', ' 12', '12 ', '+12', '012', '']) {
      expect(() => parseTarget(`pid:${pid}`)).toThrow(/is not one of/);
    }
  });

  it('replaces the scenario target', () => {
    const resolved = resolveScenario(scenario, { imageMap: {}, target: { kind: 'pid', pid: 4 } });

    expect(resolved.target).toEqual({ kind: 'pid', pid: 4 });
  });
});
