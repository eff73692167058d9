import semver from 'semver';
import { z } from 'zod';
import { checkAcrossFields } from './cross-checks.ts';
import { LIMITS, LIMITS_MS, type Range } from './limits.ts';

/** The two OCI runtimes a scenario may ask for. */
export const RUNTIMES = ['sysbox-runc', 'runc'] as const;
export type RuntimeName = (typeof RUNTIMES)[number];

export const E2SCRUB_UNITS = ['e2scrub_reap.service', 'e2scrub_all.timer'] as const;

export const PROBE_COMMAND = [
  'systemd-run',
  '-p',
  'PrivateNetwork=yes',
  '--wait',
  '/bin/true',
] as const;

const argv = z.array(z.string().min(1)).min(1);

const unitName = z
  .string()
  .regex(/^[\w@:.\\-]+\.(service|timer|socket|mount|target|path)$/, 'expected a systemd unit name');

const semverRange = z.string().refine((range) => semver.validRange(range) !== null, {
  message: 'expected a semver range such as "<0.6.5" or ">=0.6.5"',
});

/** Whole milliseconds within `range`; messages name the unit, as the scenario file does. */
const milliseconds = ({ min, max }: Range) =>
  z
    .number({ error: 'expected a whole number of milliseconds' })
    .int({ error: 'expected a whole number of milliseconds' })
    .min(min, `expected at least ${min} ms`)
    .max(max, `expected at most ${max} ms`);

const count = ({ min, max }: Range) => z.number().int().min(min).max(max);

/** What is done to work around the storm, and when. */
export const workaroundSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  // The image already ships the units masked; the harness checks they really are.
  z.strictObject({
    kind: z.literal('masked-in-image'),
    units: z.array(unitName).default([...E2SCRUB_UNITS]),
  }),
  // Stop and mask the units in the live container after a first measure window.
  z.strictObject({
    kind: z.literal('stop-and-mask-live'),
    units: z.array(unitName).default([...E2SCRUB_UNITS]),
  }),
  // Restart the host's sysbox-fs after a first measure window (calms it until the next unit start).
  z.strictObject({ kind: z.literal('restart-sysbox-fs') }),
  // Custom commands, each an argv array, run inside the container or on the host.
  z.strictObject({
    kind: z.literal('commands'),
    where: z.enum(['container', 'host']),
    commands: z.array(argv).min(1),
  }),
]);
export type Workaround = z.infer<typeof workaroundSchema>;

/** What makes systemd take the private-sysfs unmount path. */
export const triggerSchema = z.discriminatedUnion('kind', [
  // Boot alone: on affected images e2scrub_reap.service starts at boot.
  z.strictObject({ kind: z.literal('boot') }),
  // Start a named unit after boot.
  z.strictObject({
    kind: z.literal('start-unit'),
    unit: unitName,
    budgetMs: milliseconds(LIMITS_MS.unitBudget).default(30_000),
  }),
  // The PrivateNetwork probe, started after boot and left running through the measure window.
  z.strictObject({
    kind: z.literal('probe'),
    budgetMs: milliseconds(LIMITS_MS.triggerProbeBudget).default(120_000),
  }),
]);
export type Trigger = z.infer<typeof triggerSchema>;

export const windowsSchema = z
  .strictObject({
    /** Host idle before the container starts. */
    baselineMs: milliseconds(LIMITS_MS.baseline).default(10_000),
    /** Longest wait for `systemctl is-system-running --wait`; not finishing is evidence. */
    bootBudgetMs: milliseconds(LIMITS_MS.bootBudget).default(30_000),
    /** Let the start-up burst pass before measuring. */
    settleMs: milliseconds(LIMITS_MS.settle).default(10_000),
    /** Steady-state window the verdict stands on. */
    measureMs: milliseconds(LIMITS_MS.measure).default(30_000),
    /** After the container is removed: does the target calm down? */
    recoveryMs: milliseconds(LIMITS_MS.recovery).default(10_000),
  })
  .prefault({});
export type Windows = z.infer<typeof windowsSchema>;

export const probeSchema = z
  .strictObject({
    enabled: z.boolean().default(true),
    budgetMs: milliseconds(LIMITS_MS.probeBudget).default(20_000),
  })
  .prefault({});

export const VERDICTS = ['storm', 'clean'] as const;
export type ExpectedVerdict = (typeof VERDICTS)[number];

/** What must be observed on a host whose Sysbox version satisfies `sysbox`. */
export const expectationSchema = z.strictObject({
  /** Semver range of the host's Sysbox version; "*" also matches hosts without Sysbox. */
  sysbox: semverRange,
  /** Verdict of the (final) measure window. */
  verdict: z.enum(VERDICTS),
  /** For live workarounds: the verdict of the window before the workaround was applied. */
  beforeWorkaround: z.enum(VERDICTS).optional(),
  /** Whether the PrivateNetwork probe must return within its budget or hang. */
  probe: z.enum(['returns', 'hangs']).optional(),
});
export type Expectation = z.infer<typeof expectationSchema>;

/** Which host CPU consumer the verdict is about. */
export const targetSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('process'), name: z.string().min(1) }),
  z.strictObject({ kind: z.literal('pid'), pid: z.number().int().positive() }),
  z.strictObject({ kind: z.literal('cgroup'), path: z.string().startsWith('/') }),
  // The scenario's own container cgroup: what runc controls can measure on any host.
  z.strictObject({ kind: z.literal('container') }),
]);
export type Target = z.infer<typeof targetSchema>;

export const decisionSchema = z
  .strictObject({
    /** Storm when the measure median exceeds the baseline median by this much (% of one core). */
    marginPoints: z.number().positive().default(20),
    /** Fraction of measure samples that must exceed the margin for a storm. */
    sustainedFraction: z.number().min(0).max(1).default(0.8),
    /** Fewer usable samples than this in a window make the verdict inconclusive. */
    minSamples: count(LIMITS.minSamples).default(5),
  })
  .prefault({});

export const containerSchema = z.strictObject({
  /** Image reference; a digest is allowed. Overridable with --image / SYSBOX_REPRO_IMAGE_MAP. */
  image: z.string().min(1),
  runtime: z.enum(RUNTIMES).default('sysbox-runc'),
  /** Host device nodes passed through unchanged. */
  devices: z.array(z.string().startsWith('/dev/')).default(['/dev/dri/renderD128']),
  /** Always "none": nothing a run starts may send traffic beyond loopback. */
  network: z.enum(['none']).default('none'),
  env: z.record(z.string(), z.string()).default({}),
});

/**
 * One side of a comparison: the same scenario with some fields changed, optionally on a host
 * switched to another Sysbox version first. A shell install step is a string the user wrote
 * as it stands; the harness never builds one from other scenario fields.
 */
export const armSchema = z
  .strictObject({
    id: z
      .string()
      .regex(/^[a-z0-9][a-z0-9.-]*$/, 'expected lower-case letters, digits, dots and dashes'),
    install: z
      .union([z.strictObject({ argv }), z.strictObject({ shell: z.string().min(1) })], {
        error: 'expected { argv: [...] } or { shell: "..." }',
      })
      .optional(),
    /** The Sysbox version range the host must report while this arm runs. */
    sysbox: semverRange.optional(),
    image: z.string().min(1).optional(),
    runtime: z.enum(RUNTIMES).optional(),
    devices: z.array(z.string().startsWith('/dev/')).optional(),
    workaround: workaroundSchema.optional(),
  })
  .refine((arm) => arm.install === undefined || arm.sysbox !== undefined, {
    message: 'expected the Sysbox version range the install step installs',
    path: ['sysbox'],
  });
export type Arm = z.infer<typeof armSchema>;

export const repetitionsSchema = z
  .strictObject({
    /** Runs per arm before comparing; default 3 with two or more arms, else 1. */
    initial: count(LIMITS.repetitions).optional(),
    /** Added per arm while a comparison is inconclusive... */
    block: count(LIMITS.repetitions).default(2),
    /** ...up to this many runs per arm. */
    cap: count(LIMITS.repetitions).default(9),
  })
  .prefault({});

export const scenarioSchema = z
  .strictObject({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected lower-case letters, digits and dashes'),
    title: z.string().min(1),
    description: z.string().default(''),
    /** Part of the default set that `sysbox-repro run` takes with no arguments. */
    default: z.boolean().default(true),
    container: containerSchema,
    workaround: workaroundSchema.default({ kind: 'none' }),
    trigger: triggerSchema.default({ kind: 'boot' }),
    probe: probeSchema,
    windows: windowsSchema,
    target: targetSchema.default({ kind: 'process', name: 'sysbox-fs' }),
    decision: decisionSchema,
    /** Units whose state is recorded as evidence. */
    units: z.array(unitName).default([...E2SCRUB_UNITS]),
    expect: z.array(expectationSchema).min(1),
    /** Variants compared side by side in one run; none means one arm, the scenario itself. */
    arms: z.array(armSchema).default([]),
    repetitions: repetitionsSchema,
    /** The longest any container of this scenario may live, whatever happens. */
    safetyCapMs: milliseconds(LIMITS_MS.safetyCap).default(10 * 60_000),
  })
  // Only on fields valid on their own: zod would also run it past a field merely out of range,
  // which would then be reported twice.
  .superRefine(checkAcrossFields, { when: (payload) => payload.issues.length === 0 });

/** A scenario as written in a file (defaults not yet applied). */
export type ScenarioInput = z.input<typeof scenarioSchema>;
/** A scenario after validation, with every default filled in. */
export type Scenario = z.output<typeof scenarioSchema>;
