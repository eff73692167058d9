import { onForcedExit, pendingForcedExitSteps, runForcedExitSteps } from './forced-exit.ts';

describe('forced-exit steps', () => {
  it('runs the registered steps and names those that failed or outlasted the budget', async () => {
    const ran: string[] = [];
    using _done = onForcedExit('docker rm -f c1', async () => {
      ran.push('c1');
    });
    using _failed = onForcedExit('systemctl restart sysbox.service', async () => {
      throw new Error('unit not found');
    });
    using _hanging = onForcedExit('mark run/report.json interrupted', () => new Promise(() => {}));

    const left = await runForcedExitSteps(50);

    expect(ran).toEqual(['c1']);
    expect(left).toEqual(['systemctl restart sysbox.service', 'mark run/report.json interrupted']);
  });

  it('forgets a step once its normal path has run', async () => {
    let ran = false;
    {
      using _step = onForcedExit('docker rm -f c2', async () => {
        ran = true;
      });
      expect(pendingForcedExitSteps()).toEqual(['docker rm -f c2']);
    }

    expect(await runForcedExitSteps(50)).toEqual([]);
    expect(ran).toBe(false);
    expect(pendingForcedExitSteps()).toEqual([]);
  });
});
