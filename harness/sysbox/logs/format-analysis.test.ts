import { UnmountLogAggregator } from './aggregate.ts';
import { logrusLine } from './fixtures/generate-debug-log.ts';
import { formatLogAnalysis } from './format-analysis.ts';

describe('formatLogAnalysis', () => {
  it('shows garbage lines with their control characters escaped', () => {
    const aggregator = new UnmountLogAggregator();
    aggregator.pushLine(
      logrusLine('text', '2026-12-03 13:57:16', 'info', 'Initiating sysbox-fs ...'),
    );
    aggregator.pushLine('before\u001b[2J\u0007after\u0000');

    const text = formatLogAnalysis('test.log', aggregator.finish());
    expect(text).toContain('before\\x1b[2J\\x07after\\x00');
    // nothing from the log reaches a terminal as a control character
    const controls = [...text].filter((c) => c !== '\n' && /\p{Cc}/u.test(c));
    expect(controls).toEqual([]);
  });

  it('says when lines were stamped out of order, and only then', () => {
    const aggregator = new UnmountLogAggregator();
    const line = (time: string) => logrusLine('text', time, 'info', 'Initiating sysbox-fs ...');
    aggregator.pushLine(line('2026-12-03 13:57:20'));
    expect(formatLogAnalysis('a.log', aggregator.finish())).not.toContain('out of order');

    const stepped = new UnmountLogAggregator();
    stepped.pushLine(line('2026-12-03 13:57:28'));
    stepped.pushLine(line('2026-12-03 13:57:20'));
    stepped.pushLine(line('2026-12-03 13:57:21'));
    expect(formatLogAnalysis('b.log', stepped.finish())).toMatch(/out of order +2 lines/);
  });

  it("shows systemd's lines about the unit as such, with the changes they tell", () => {
    const aggregator = new UnmountLogAggregator();
    const journal = 'Dec 03 13:57:16 host1';
    const ready = logrusLine('text', '2026-12-03 13:57:16', 'info', 'Ready ...');
    aggregator.pushLine(`${journal} sysbox-fs[812]: ${ready}`);
    aggregator.pushLine(
      `${journal} systemd[1]: sysbox-fs.service: Main process exited, ` +
        'code=killed, status=9/KILL',
    );
    aggregator.pushLine(`${journal} systemd[1]: sysbox-fs.service: Failed with result 'signal'.`);

    const text = formatLogAnalysis('journal.txt', aggregator.finish());
    expect(text).toMatch(/journal +2 lines from other programs than sysbox-fs\n/);
    expect(text).toMatch(/garbage +0\n/);
    expect(text).toContain('unit          Dec 03 13:57:16 main-exited code=killed, status=9/KILL');
    expect(text).toContain('unit          Dec 03 13:57:16 failed signal');
  });
});
