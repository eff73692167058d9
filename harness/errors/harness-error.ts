/**
 * The few ways a harness operation can end badly. Each maps to one exit code
 * (see exit-codes.ts), so CI and `git bisect run` can tell them apart.
 */
export type ErrorKind =
  | 'bad-input' // a scenario, flag, log or report the user gave is wrong
  | 'host-not-ready' // the host lacks something a run needs (engine, runtime, image, device)
  | 'infrastructure' // something the harness relies on failed mid-run (engine, container, exec)
  | 'inconclusive' // the evidence does not allow a decision
  | 'regression' // an expectation was not met
  | 'interrupted'; // the user or CI stopped the run (SIGINT/SIGTERM)

export class HarnessError extends Error {
  override readonly name = 'HarnessError';
  readonly kind: ErrorKind;
  /** What the user can do about it, e.g. a command to run. */
  readonly hint: string | undefined;

  constructor(kind: ErrorKind, message: string, options: { cause?: unknown; hint?: string } = {}) {
    super(message, { cause: options.cause });
    this.kind = kind;
    this.hint = options.hint;
  }
}

export const badInput = (message: string, hint?: string) =>
  new HarnessError('bad-input', message, { hint });

export const hostNotReady = (message: string, hint?: string) =>
  new HarnessError('host-not-ready', message, { hint });

export const infrastructure = (message: string, cause?: unknown) =>
  new HarnessError('infrastructure', message, { cause });

export function isHarnessError(error: unknown, kind?: ErrorKind): error is HarnessError {
  return error instanceof HarnessError && (kind === undefined || error.kind === kind);
}
