import { parseExecStartArgv, parseSystemctlShow } from './daemons.ts';
import { readLogFlags } from './log-setup.ts';

describe('systemctl show parsing', () => {
  it('reads properties and the ExecStart argv', () => {
    const output = [
      'MainPID=812',
      'ExecStart={ path=/usr/bin/sysbox-fs ; argv[]=/usr/bin/sysbox-fs --log-level info ; ' +
        'ignore_errors=no ; start_time=[n/a] ; stop_time=[n/a] ; pid=0 ; code=(null) ; status=0/0 }',
      'LoadState=loaded',
      'ActiveState=active',
      '',
    ].join('\n');
    const values = parseSystemctlShow(output);

    expect(values.MainPID).toBe('812');
    expect(values.ActiveState).toBe('active');
    expect(parseExecStartArgv(values.ExecStart ?? '')).toEqual([
      '/usr/bin/sysbox-fs',
      '--log-level',
      'info',
    ]);
    expect(parseExecStartArgv('')).toBeNull();
  });
});

describe('readLogFlags', () => {
  it('reads the flag forms urfave/cli accepts', () => {
    expect(
      readLogFlags(['sysbox-fs', '--log', '/var/log/sysbox-fs.log', '-log-level=debug']),
    ).toEqual({
      log: '/var/log/sysbox-fs.log',
      'log-level': 'debug',
    });
    expect(readLogFlags(['sysbox-fs', '--log-format', 'json', '--mountpoint', '/x'])).toEqual({
      'log-format': 'json',
    });
    expect(readLogFlags(['sysbox-fs'])).toEqual({});
  });
});
