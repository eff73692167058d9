import { mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cpuHierarchies, readMeasureEnv } from '../../harness/measure/environment.ts';

/** Cgroups the benchmark makes for its load, one per mounted CPU-accounting hierarchy. */
export interface LoadCgroups {
  directories: { v1?: string; v2?: string };
  /** Moves a process (all its threads; children it forks later follow). */
  enter(pid: number): void;
  /** Removes the cgroups; they must be empty, so call it after the load has exited. */
  remove(): void;
}

/** Needs root. A hierarchy where the cgroup cannot be made is left out. */
export function makeLoadCgroups(name: string): LoadCgroups {
  const { v1, v2 } = cpuHierarchies(readMeasureEnv());
  const directories: { v1?: string; v2?: string } = {};
  for (const [key, mount] of [
    ['v1', v1],
    ['v2', v2],
  ] as const) {
    if (!mount) continue;
    const directory = join(mount.mountPoint, name);
    try {
      mkdirSync(directory);
      directories[key] = directory;
    } catch {
      // not root, or a read-only hierarchy: measure without it
    }
  }
  return {
    directories,
    enter(pid) {
      for (const directory of Object.values(directories)) {
        writeFileSync(join(directory, 'cgroup.procs'), String(pid));
      }
    },
    remove() {
      for (const directory of Object.values(directories)) {
        for (let attempt = 0; attempt < 50; attempt++) {
          try {
            rmdirSync(directory);
            break;
          } catch {
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
          }
        }
      }
    },
  };
}
