import { doctorOutcome, logScannerCheck } from './doctor.ts';

describe('the log scanner row of doctor', () => {
  const setting = process.env.SYSBOX_REPRO_LOG_SCANNER;
  afterEach(() => {
    if (setting === undefined) delete process.env.SYSBOX_REPRO_LOG_SCANNER;
    else process.env.SYSBOX_REPRO_LOG_SCANNER = setting;
  });

  it('calls a misspelt setting bad input, as analyze does, not a warning', () => {
    process.env.SYSBOX_REPRO_LOG_SCANNER = 'Native';

    const check = logScannerCheck();

    expect(check).toMatchObject({ status: 'fail', badSetting: true });
    expect(check.detail).toContain('SYSBOX_REPRO_LOG_SCANNER=Native is neither');
    expect(check.fix).toContain('unset SYSBOX_REPRO_LOG_SCANNER');
    expect(doctorOutcome([check])).toBe('bad-input');
  });

  it('accepts the JavaScript scanner when asked for', () => {
    process.env.SYSBOX_REPRO_LOG_SCANNER = 'js';

    expect(logScannerCheck().status).toBe('ok');
  });
});
