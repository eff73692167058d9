import { parseScenario } from './load.ts';
import { parseImageMap, resolveScenario } from './resolve.ts';

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
      'sysbox-repro/ubuntu-noble-systemd:latest': local,
    });

    expect(mapped.container.image).toBe(local);
    expect(resolveScenario(scenario, { other: local }).container.image).toBe(
      scenario.container.image,
    );
  });
});
