import { z } from 'zod';

/**
 * The report a run writes, versioned. Bump REPORT_SCHEMA_VERSION on any change that
 * an older reader would misread; adding optional fields does not need a bump.
 */
export const REPORT_SCHEMA_VERSION = 2;

/**
 * Versions this code reads. 2 made outcome and exitCode null while a run is going; version 1
 * wrote "ok" and 0 there, see readableReportSchema.
 */
export const READABLE_SCHEMA_VERSIONS = [1, 2] as const;

const ms = z.number().nonnegative();

const cpuReading = z.object({
  tMs: ms,
  totalSeconds: z.number().nonnegative(),
  userSeconds: z.number().nonnegative().nullable(),
  systemSeconds: z.number().nonnegative().nullable(),
  source: z.enum(['cgroup-v1', 'cgroup-v2', 'proc', 'proc-stat-host']),
  identity: z.string(),
});

const seriesSample = z.discriminatedUnion('state', [
  z.object({ tMs: ms, state: z.literal('present'), reading: cpuReading }),
  z.object({ tMs: ms, state: z.literal('absent'), detail: z.string() }),
  z.object({
    tMs: ms,
    state: z.literal('ambiguous'),
    detail: z.string(),
    candidates: z.array(z.number().int()),
  }),
]);

export const timelineSchema = z.object({
  intervalMs: z.number().positive(),
  /** What each series measured, e.g. "process sysbox-fs", "cgroup /docker/<id>". */
  describe: z.record(z.string(), z.string()),
  series: z.record(z.string(), z.array(seriesSample)),
});

export const phaseSchema = z.object({
  name: z.enum([
    'preflight',
    'baseline',
    'start',
    'boot',
    'settle',
    'measure',
    'workaround',
    'after-workaround',
    'evidence',
    'probe',
    'removal',
    'recovery',
  ]),
  startMs: ms,
  endMs: ms,
  /** e.g. "ended early: storm unmistakable", "interrupted". */
  note: z.string().optional(),
});
export type Phase = z.infer<typeof phaseSchema>;
export type PhaseName = Phase['name'];

export const windowStatsSchema = z.object({
  phase: phaseSchema.shape.name,
  /** Which series the window summarises: "target" (default), "container", "host". */
  series: z.string().optional(),
  startMs: ms,
  endMs: ms,
  samples: z.number().int().nonnegative(),
  restarts: z.number().int().nonnegative(),
  gaps: z.number().int().nonnegative(),
  /**
   * Null when no interval lies wholly in the window: the target was absent or ambiguous, or
   * the window was shorter than two readings. The counts below say which (absent in reports
   * written before they were added).
   */
  medianPercent: z.number().nullable(),
  meanPercent: z.number().nullable(),
  p95Percent: z.number().nullable(),
  cpuSeconds: z.number().nullable(),
  /** Samples in the window where the target was not found, or matched several candidates. */
  absentSamples: z.number().int().nonnegative().optional(),
  ambiguousSamples: z.number().int().nonnegative().optional(),
});
export type WindowStats = z.infer<typeof windowStatsSchema>;

export const unitStateSchema = z.object({
  name: z.string(),
  loadState: z.string(),
  activeState: z.string(),
  subState: z.string(),
  unitFileState: z.string(),
  mainPid: z.number().int().nullable(),
  mainProcessName: z.string().nullable(),
  /** Seconds since the unit entered its current active state, where known. */
  stateAgeSeconds: z.number().nullable(),
});
export type UnitState = z.infer<typeof unitStateSchema>;

export const probeResultSchema = z.object({
  command: z.array(z.string()),
  budgetMs: ms,
  outcome: z.enum(['returned', 'hung', 'not-run']),
  elapsedMs: ms.nullable(),
  exitCode: z.number().int().nullable(),
  stderr: z.string(),
});
export type ProbeResult = z.infer<typeof probeResultSchema>;

export const evidenceSchema = z.object({
  systemdVersion: z.string().nullable(),
  boot: z.object({
    finished: z.boolean(),
    state: z.string(),
    elapsedMs: ms,
    budgetMs: ms,
    pendingJobs: z.array(z.string()),
    activatingUnits: z.array(unitStateSchema),
  }),
  units: z.array(unitStateSchema),
  /** Enabled or static units with PrivateNetwork=yes: each can start the loop on systemd >= 254. */
  exposure: z.array(z.string()).nullable(),
  probe: probeResultSchema,
  logs: z
    .object({
      source: z.string(),
      ignoringLines: z.number().int(),
      rejectedLines: z.number().int(),
      umountCalls: z.number().int(),
      level: z.string().nullable(),
    })
    .nullable(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const verdictSchema = z.object({
  verdict: z.enum(['storm', 'clean', 'inconclusive']),
  /** Why, each a sentence with the numbers it rests on. */
  reasons: z.array(z.string()),
});
export type Verdict = z.infer<typeof verdictSchema>;

export const expectationResultSchema = z.object({
  result: z.enum(['pass', 'fail', 'inconclusive', 'skipped']),
  sysboxVersion: z.string().nullable(),
  range: z.string().nullable(),
  expected: z.string().nullable(),
  observed: z.string().nullable(),
  reason: z.string(),
});
export type ExpectationResult = z.infer<typeof expectationResultSchema>;

export const hostFingerprintSchema = z.object({
  hostname: z.string(),
  kernel: z.string(),
  os: z.string(),
  cpuModel: z.string(),
  cores: z.number().int().positive(),
  cgroupVersion: z.union([z.literal(1), z.literal(2)]),
  docker: z.object({
    version: z.string(),
    apiVersion: z.string(),
    runtimes: z.array(z.string()),
  }),
  sysbox: z
    .object({
      version: z.string().nullable(),
      components: z.record(z.string(), z.string().nullable()),
      package: z.string().nullable(),
    })
    .nullable(),
});
export type HostFingerprint = z.infer<typeof hostFingerprintSchema>;

export const scenarioResultSchema = z.object({
  scenarioId: z.string(),
  /** The arm this result belongs to ("default" for a scenario without arms). */
  arm: z.string().optional(),
  /** 1-based repetition of the arm. */
  repetition: z.number().int().positive().optional(),
  /** The host as it was for this arm (after its install step, if any). */
  host: hostFingerprintSchema.optional(),
  file: z.string(),
  /** The scenario after validation, defaults and overrides (e.g. image mapping). */
  scenario: z.record(z.string(), z.unknown()),
  status: z.enum(['completed', 'skipped', 'interrupted', 'error']),
  skip: z.object({ reason: z.string(), fix: z.string() }).optional(),
  error: z
    .object({ kind: z.string(), message: z.string(), hint: z.string().optional() })
    .optional(),
  container: z
    .object({ id: z.string(), name: z.string(), imageId: z.string(), runtime: z.string() })
    .optional(),
  phases: z.array(phaseSchema),
  timeline: timelineSchema.optional(),
  windows: z.array(windowStatsSchema),
  evidence: evidenceSchema.optional(),
  verdict: verdictSchema.optional(),
  verdictBeforeWorkaround: verdictSchema.optional(),
  /** Sentences that stand apart from the verdict, e.g. "the workaround hides the bug ...". */
  findings: z.array(z.string()),
  expectation: expectationResultSchema,
});
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;

export const armComparisonSchema = z.object({
  scenarioId: z.string(),
  armA: z.string(),
  armB: z.string(),
  outcome: z.enum(['regressed', 'fixed', 'unchanged', 'inconclusive']),
  /** One value per repetition: the target's median in its measure window. */
  valuesA: z.array(z.number()),
  valuesB: z.array(z.number()),
  difference: z.number().nullable(),
  ci: z
    .object({ low: z.number(), high: z.number(), confidence: z.number(), seed: z.number() })
    .nullable(),
  p: z.number().nullable(),
  reason: z.string(),
});
export type ArmComparisonResult = z.infer<typeof armComparisonSchema>;

const reportFields = z.object({
  schema: z.literal('sysbox-repro/report'),
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  runId: z.string(),
  status: z.enum(['running', 'completed', 'interrupted', 'failed']),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime().nullable(),
  tool: z.object({ version: z.string(), node: z.string() }),
  host: hostFingerprintSchema.nullable(),
  options: z.record(z.string(), z.unknown()),
  scenarios: z.array(scenarioResultSchema),
  /** Arm against arm, for scenarios with two or more arms. */
  comparisons: z.array(armComparisonSchema).default([]),
  /** Null while the run is going: a report left "running" was killed, and decided nothing. */
  outcome: z
    .enum([
      'ok',
      'regression',
      'inconclusive',
      'bad-input',
      'host-not-ready',
      'infrastructure',
      'interrupted',
    ])
    .nullable(),
  exitCode: z.number().int().nullable(),
  /** Why a failed run stopped before its scenarios had results (what stderr said). */
  error: z.object({ kind: z.string(), message: z.string() }).optional(),
});

/** A run that is still going has no outcome; one that ended always has one. */
function outcomeMatchesStatus(
  report: Pick<z.infer<typeof reportFields>, 'status' | 'outcome' | 'exitCode'>,
  ctx: z.RefinementCtx,
): void {
  const running = report.status === 'running';
  for (const field of ['outcome', 'exitCode'] as const) {
    if (running === (report[field] === null)) continue;
    const expected = running
      ? 'null while status is running'
      : `set once status is ${report.status}`;
    ctx.addIssue({ code: 'custom', path: [field], message: `expected ${expected}` });
  }
}

/** What a run writes: the current version only. */
export const reportSchema = reportFields.superRefine(outcomeMatchesStatus);
export type Report = z.infer<typeof reportSchema>;

/**
 * Version 1 wrote outcome "ok" and exit code 0 from the start of a run, so a version-1 report
 * left "running" by a killed run claims a result it never had. Read them as version 2 writes
 * them, null, so that one rule about outcome and status holds for every version.
 */
function withoutVersion1RunningOutcome(input: unknown): unknown {
  if (typeof input !== 'object' || input === null) return input;
  const report = input as Record<string, unknown>;
  if (report.schemaVersion !== 1 || report.status !== 'running') return input;
  return { ...report, outcome: null, exitCode: null };
}

/** What `compare` and other readers accept: any version in READABLE_SCHEMA_VERSIONS. */
export const readableReportSchema = z.preprocess(
  withoutVersion1RunningOutcome,
  reportFields
    .extend({ schemaVersion: z.union(READABLE_SCHEMA_VERSIONS.map((v) => z.literal(v))) })
    .superRefine(outcomeMatchesStatus),
);
export type ReadableReport = z.infer<typeof readableReportSchema>;

/** The schema as JSON Schema, published beside every report and in reports/README.md. */
export function reportJsonSchema(): unknown {
  return z.toJSONSchema(reportSchema, { target: 'draft-2020-12' });
}
