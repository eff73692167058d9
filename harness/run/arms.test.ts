import { parseScenario } from '../scenario/load.ts';
import { armsOf, initialRepetitions, interleave } from './arms.ts';

const base = {
  id: 's',
  title: 's',
  container: { image: 'noble', devices: ['/dev/dri/renderD128'] },
  expect: [{ sysbox: '*', verdict: 'clean' }],
};

describe('arms', () => {
  it('treats a scenario without arms as one arm run once', () => {
    const scenario = parseScenario(base, 's.ts');

    expect(armsOf(scenario).map((arm) => arm.id)).toEqual(['default']);
    expect(initialRepetitions(scenario)).toBe(1);
  });

  it('applies each arm over the scenario and repeats three times by default', () => {
    const scenario = parseScenario(
      {
        ...base,
        arms: [
          { id: 'device', devices: ['/dev/dri/renderD128'] },
          { id: 'no-device', devices: [], workaround: { kind: 'masked-in-image' } },
        ],
      },
      's.ts',
    );
    const [withDevice, without] = armsOf(scenario);

    expect(withDevice?.scenario.container.devices).toEqual(['/dev/dri/renderD128']);
    expect(without?.scenario.container.devices).toEqual([]);
    expect(without?.scenario.workaround.kind).toBe('masked-in-image');
    expect(without?.scenario.container.image).toBe('noble');
    expect(initialRepetitions(scenario)).toBe(3);
    expect(initialRepetitions(scenario, 5)).toBe(5);
  });

  it('refuses an install step without the version it installs', () => {
    const arms = [{ id: 'old', install: { argv: ['apt-get', 'install', 'sysbox-ce=0.6.4'] } }];

    expect(() => parseScenario({ ...base, arms }, 's.ts')).toThrow(/field arms\.0\.sysbox/);
  });

  it('interleaves repetitions A B B A', () => {
    const order = interleave(['A', 'B'], 4).map(({ arm, repetition }) => `${arm}${repetition}`);

    expect(order).toEqual(['A1', 'B1', 'B2', 'A2', 'A3', 'B3', 'B4', 'A4']);
    expect(interleave(['A', 'B'], 1, 4).map(({ arm }) => arm)).toEqual(['B', 'A']);
  });
});
