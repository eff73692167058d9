import { Command, Option } from 'commander';
import { exitCodeFor } from '../../errors/exit-codes.ts';
import type { CommandAction } from '../main.ts';

interface DoctorFlags {
  json?: boolean;
  device: string[];
  runtime: string;
  allowOtherSysboxContainers?: boolean;
}

/** `sysbox-repro doctor`: what a run needs from the host; non-zero when a run cannot proceed. */
export function doctorCommand(): Command {
  return new Command('doctor')
    .description('check the host: Docker, runtimes, cgroups, Sysbox install, daemons, devices')
    .option('--json', 'print the report as JSON')
    .option('--device <path...>', 'device nodes a scenario passes in', [])
    .addOption(
      new Option('--runtime <name>', 'the OCI runtime a run would use').default('sysbox-runc'),
    )
    .option(
      '--allow-other-sysbox-containers',
      'accept other running Sysbox containers (they share and pollute sysbox-fs)',
    )
    .action(async (flags: DoctorFlags) => {
      process.exitCode = exitCodeFor(await doctorAction(flags));
    });
}

export const doctorAction = (async (flags: DoctorFlags) => {
  // Loaded here, not at start-up: Docker's client alone takes a noticeable part of a second.
  const { dockerClient } = await import('../../runtime/docker-client.ts');
  const { runDoctor } = await import('../../sysbox/doctor.ts');
  const { formatDoctorReport } = await import('../../sysbox/format-doctor.ts');
  const report = await runDoctor({
    docker: dockerClient(),
    devices: flags.device,
    runtime: flags.runtime,
    allowOtherSysboxContainers: flags.allowOtherSysboxContainers ?? false,
  });
  const text = flags.json ? `${JSON.stringify(report, null, 2)}\n` : formatDoctorReport(report);
  process.stdout.write(text);
  return report.outcome;
}) satisfies CommandAction;
