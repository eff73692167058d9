import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { badInput } from '../errors/harness-error.ts';

/** A compiled part of the harness (native/*.c), or why it is not there. */
export type NativeAddon<T> = { addon: T } | { missing: string };

/** What builds them: `npm ci` runs this install script when a C compiler is there. */
export const NATIVE_BUILD_HINT = 'apt-get install build-essential python3 && npm run install';

const BUILD_DIRECTORY = new URL('../../build/Release/', import.meta.url);

/** Loads build/Release/<name>.node; callers keep the result, since it never changes. */
export function loadNativeAddon<T>(name: string): NativeAddon<T> {
  const path = new URL(`${name}.node`, BUILD_DIRECTORY).pathname;
  if (!existsSync(path)) {
    return { missing: `${path} is not built (npm ci builds it with node-gyp and a C compiler)` };
  }
  try {
    return { addon: createRequire(import.meta.url)(path) as T };
  } catch (error) {
    return { missing: `${path} does not load: ${String(error)}` };
  }
}

/**
 * A setting choosing between a native part and its JavaScript twin: unset (native when
 * built), "js", or "native" (the caller refuses to run without it).
 */
export function nativeSetting(name: string): 'js' | 'native' | undefined {
  const value = process.env[name];
  if (value === undefined || value === '') return undefined;
  if (value === 'js' || value === 'native') return value;
  throw badInput(
    `${name}=${value} is neither "js" nor "native"`,
    `unset ${name}, or set it to js or native`,
  );
}
