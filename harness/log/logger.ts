import pino, { type Logger } from 'pino';
import pretty from 'pino-pretty';
import { stderrBelowLiveLine } from './live-line.ts';

export type { Logger };

export interface LoggerOptions {
  /** JSON lines (CI, pipes) or one readable line per event (terminal). */
  json?: boolean;
  /** Let noisy internals (each exec, each sample) through. */
  debug?: boolean;
}

/**
 * Structured events go to stderr so stdout stays free for a command's own output
 * (e.g. `doctor --json`). Every event carries a `kind`.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const json = options.json ?? !process.stderr.isTTY;
  const level = options.debug ? 'debug' : 'info';
  if (json) return pino({ level, base: undefined }, pino.destination({ fd: 2, sync: true }));

  // On a terminal each event is its message alone; the fields are in the JSON logs and report.
  const stream = pretty({
    destination: stderrBelowLiveLine,
    sync: true,
    colorize: true,
    hideObject: true,
    translateTime: 'HH:MM:ss',
  });
  return pino({ level, base: undefined }, stream);
}

/** A logger that drops everything, for tests and library callers that do not care. */
export const silentLogger: Logger = pino({ level: 'silent' });
