import { Command, Option } from 'commander';
import { LIMITS, SAMPLING_INTERVAL_MS } from '../../scenario/limits.ts';
import { integerIn } from '../integer-option.ts';

interface RunFlags {
  imageMap: string[];
  interval: number;
  /** Parsed when the command runs, with the scenario schema it needs. */
  target?: string;
  repetitions?: number;
  allowOtherSysboxContainers: boolean;
  debugLogs: boolean;
  reportsDir?: string;
  jsonLogs?: boolean;
  debug: boolean;
}

export function runCommand(): Command {
  return new Command('run')
    .description('run scenarios (files or ids; none = the default set) and write a report')
    .argument('[scenarios...]', 'scenario ids or paths to .scenario.ts files')
    .option(
      '--image-map <from=to>',
      'run image "to" wherever a scenario names "from" (repeatable; also SYSBOX_REPRO_IMAGE_MAP)',
      collect,
      [],
    )
    .addOption(
      new Option(
        '--target <what>',
        'measure this instead of sysbox-fs: process:<name>, pid:<n>, cgroup:</path>, container',
      ),
    )
    .addOption(
      new Option(
        '--interval <ms>',
        `CPU sampling interval, ${SAMPLING_INTERVAL_MS.min} to ${SAMPLING_INTERVAL_MS.max} ms`,
      )
        .default(1000)
        .argParser(integerIn(SAMPLING_INTERVAL_MS, ' ms')),
    )
    .addOption(
      new Option(
        '--repetitions <n>',
        'runs per arm (default: 3 with two or more arms, else 1)',
      ).argParser(integerIn(LIMITS.repetitions)),
    )
    .option(
      '--allow-other-sysbox-containers',
      'measure even though other Sysbox containers share sysbox-fs (recorded in the report)',
      false,
    )
    .option(
      '--debug-logs',
      'raise sysbox-fs to debug level for this run (restarts Sysbox; distorts CPU figures)',
      false,
    )
    .option('--reports-dir <dir>', 'where reports/<run-id>/ is written (default: ./reports)')
    .option('--json-logs', 'log JSON lines (default when stderr is not a terminal)')
    .option('--debug', 'log every exec and sample', false)
    .action(async (scenarios: string[], flags: RunFlags) => {
      // Loaded here, not at start-up: Docker's client, execa, zod and pino take most of a
      // second to load, which commands that need none of them should not pay.
      const { checkSamplerCoreSetting } = await import('../../measure/native-core.ts');
      checkSamplerCoreSetting();
      const { parseImageMap, parseTarget } = await import('../../scenario/resolve.ts');
      const target = flags.target === undefined ? undefined : parseTarget(flags.target);
      const { createLogger } = await import('../../log/logger.ts');
      const { runScenarios } = await import('../../run/run.ts');
      const logger = createLogger({ json: flags.jsonLogs, debug: flags.debug });
      const envMap = process.env.SYSBOX_REPRO_IMAGE_MAP;
      const result = await runScenarios({
        scenarios,
        imageMap: parseImageMap([...(envMap ? [envMap] : []), ...flags.imageMap]),
        intervalMs: flags.interval,
        ...(target ? { target } : {}),
        ...(flags.repetitions ? { repetitions: flags.repetitions } : {}),
        allowOtherSysboxContainers: flags.allowOtherSysboxContainers,
        debugLogs: flags.debugLogs,
        ...(flags.reportsDir ? { reportsDir: flags.reportsDir } : {}),
        logger,
      });

      const header = ['scenario'.padEnd(32), 'verdict'.padEnd(12), 'expectation'.padEnd(12)];
      if (result.report.scenarios.length > 0) process.stdout.write(`${header.join(' ')} detail\n`);
      for (const s of result.report.scenarios) {
        const verdict = s.verdict?.verdict ?? s.status;
        const detail = s.skip?.reason ?? s.error?.message ?? s.expectation.reason;
        const arm = s.arm && s.arm !== 'default' ? ` [${s.arm} #${s.repetition}]` : '';
        const columns = [`${s.scenarioId}${arm}`.padEnd(32), verdict.padEnd(12)];
        columns.push(s.expectation.result.padEnd(12), detail);
        process.stdout.write(`${columns.join(' ')}\n`);
      }
      for (const c of result.report.comparisons) {
        process.stdout.write(
          `${c.scenarioId}: ${c.armB} vs ${c.armA}: ${c.outcome} (${c.reason})\n`,
        );
      }
      process.stdout.write(
        `report: ${result.written.json}\nsummary: ${result.written.markdown}\n` +
          `outcome: ${result.report.outcome} (exit code ${result.exitCode})\n`,
      );
      process.exitCode = result.exitCode;
    });
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
