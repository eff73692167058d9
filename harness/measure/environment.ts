import { readFileSync } from 'node:fs';
import { type CgroupMount, parseCgroupMounts } from './mountinfo.ts';

/** Where the sampler finds the kernel's files; tests point `procRoot` at a fixture tree. */
export interface MeasureEnv {
  procRoot: string;
  mounts: CgroupMount[];
  /** Never a candidate target: the harness itself. */
  selfPid: number;
  bootId: string;
}

export function readMeasureEnv(procRoot = '/proc'): MeasureEnv {
  const mountinfo = readFileSync(`${procRoot}/self/mountinfo`, 'utf8');
  let bootId = 'unknown';
  try {
    bootId = readFileSync(`${procRoot}/sys/kernel/random/boot_id`, 'utf8').trim();
  } catch {
    // Fixture trees and exotic kernels may lack it; the host series then names no boot.
  }
  return { procRoot, mounts: parseCgroupMounts(mountinfo), selfPid: process.pid, bootId };
}

/** The v1 hierarchy that carries cpuacct, and the v2 hierarchy, if mounted. */
export function cpuHierarchies(env: MeasureEnv): { v1?: CgroupMount; v2?: CgroupMount } {
  return {
    v1: env.mounts.find((m) => m.version === 1 && m.controllers.includes('cpuacct')),
    v2: env.mounts.find((m) => m.version === 2),
  };
}
