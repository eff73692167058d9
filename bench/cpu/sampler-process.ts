/**
 * The sampler alone in a Node process, so its whole cost (wake-ups, V8, reads) can be measured
 * from outside: node sampler-process.ts <intervalMs> <seconds> <pid> <cgroup directory | proc>.
 * The target is the load's cgroup, or the load's pid through /proc; the container series reads
 * the root cgroup and the host series /proc/stat. Prints the CPU of the sampler's own thread
 * (its 'sampler' series: sleeping, waking and sampling), as JSON.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SAMPLER_SERIES, startSampler } from '../../harness/measure/sampler.ts';
import type { SeriesSpec } from '../../harness/measure/series-spec.ts';

const [intervalMs, seconds, pid] = process.argv.slice(2, 5).map(Number);
const via = process.argv[5] ?? 'proc';
const target: SeriesSpec =
  via === 'proc' ? { kind: 'pid', pid: pid as number, via: 'proc' } : { kind: 'cgroup', path: via };
const sampler = await startSampler({
  intervalMs,
  series: { target, container: { kind: 'cgroup', path: '/' }, host: { kind: 'host' } },
});
await sleep((seconds as number) * 1000);
await sampler.stop();

const own = sampler.samples(SAMPLER_SERIES);
const first = own[0];
const last = own.at(-1);
const total = (sample: typeof first) =>
  sample?.state === 'present' ? sample.reading.totalSeconds : 0;
console.log(
  JSON.stringify({
    samples: own.length,
    samplingSeconds: total(last) - total(first),
    elapsedSeconds: ((last?.tMs ?? 0) - (first?.tMs ?? 0)) / 1000,
  }),
);
