import { hostNotReady } from '../../errors/harness-error.ts';
import {
  loadNativeAddon,
  NATIVE_BUILD_HINT,
  type NativeAddon,
  nativeSetting,
} from '../../native/addons.ts';
import { ByteLogScanner } from './byte-scanner.ts';
import { type LogScannerAddon, NativeLogScanner } from './native-log-scanner.ts';
import type { UnmountEvents } from './unmount-events.ts';

/** Turns lines of bytes into events: ByteLogScanner, or NativeLogScanner when it is built. */
export interface LogScanner {
  /**
   * Scans the complete lines of buffer[start, end); returns where the unfinished line at
   * the end starts (end when there is none).
   */
  scanLines(buffer: Buffer, start: number, end: number): number;
  /** Scans one line (without its newline): the last one of an input, or a cut overlong one. */
  scanLine(buffer: Buffer, start: number, end: number): void;
}

export type LogScannerChoice = 'js' | 'native';

const SETTING = 'SYSBOX_REPRO_LOG_SCANNER';

let loaded: NativeAddon<LogScannerAddon> | undefined;

/**
 * The scanner to use: `choice` when given, else SYSBOX_REPRO_LOG_SCANNER: unset (native when
 * built), "js", or "native" (refuse to run without it, so that a measurement or test of the
 * native scanner cannot quietly measure the other one).
 */
export function chooseLogScanner(choice?: LogScannerChoice): LogScannerChoice {
  const wanted = choice ?? nativeSetting(SETTING);
  if (wanted === 'js') return 'js';
  const addon = logScannerAddon();
  if ('addon' in addon) return 'native';
  if (wanted === 'native') throw notBuilt(addon.missing);
  return 'js';
}

export function createLogScanner(events: UnmountEvents, choice: LogScannerChoice): LogScanner {
  if (choice === 'js') return new ByteLogScanner(events);
  const addon = logScannerAddon();
  if ('missing' in addon) throw notBuilt(addon.missing);
  return new NativeLogScanner(addon.addon, events);
}

/** The compiled scanner (native/log-scanner.c), or why it is not there. */
export function logScannerAddon(): NativeAddon<LogScannerAddon> {
  loaded ??= loadNativeAddon<LogScannerAddon>('log_scanner');
  return loaded;
}

function notBuilt(missing: string) {
  return hostNotReady(`log scanner: native asked for, but ${missing}`, NATIVE_BUILD_HINT);
}
