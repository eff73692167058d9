/**
 * The sampler alone in a Node process, so its whole cost (wake-ups, V8, reads) can be measured
 * from outside:
 *   node sampler-process.ts <intervalMs> <seconds> <pid> <cgroup directory | proc> <warmUpSeconds>
 * The target is the load's cgroup, or the load's pid through /proc; the container series reads
 * the root cgroup and the host series /proc/stat. Prints, as JSON, the CPU of the sampling
 * threads (its 'sampler' series: sleeping, waking, reading and parsing) from 5 s before the
 * end of the warm-up to its stop, so the parsing of native rounds that falls after the
 * outside window counts too, and where its rounds ran (the report's sampler line).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SAMPLER_SERIES, startSampler } from '../../harness/measure/sampler.ts';
import type { SeriesSpec } from '../../harness/measure/series-spec.ts';
import type { SeriesSample } from '../../harness/measure/types.ts';

const [intervalMs, seconds, pid] = process.argv.slice(2, 5).map(Number);
const via = process.argv[5] ?? 'proc';
const warmUpSeconds = Number(process.argv[6] ?? 0);
const target: SeriesSpec =
  via === 'proc' ? { kind: 'pid', pid: pid as number, via: 'proc' } : { kind: 'cgroup', path: via };
const sampler = await startSampler({
  intervalMs,
  series: { target, container: { kind: 'cgroup', path: '/' }, host: { kind: 'host' } },
});
// Asking for samples makes the sampling thread take what the native thread holds and record
// its own CPU at this point. The first such look hands over every round of the warm-up at
// once, more than the harness ever takes in one go, so it falls before the outside window.
const lookSeconds = Math.max(0, warmUpSeconds - 5);
await sleep(lookSeconds * 1000);
const first = sampler.samples(SAMPLER_SERIES).at(-1);
await sleep(((seconds as number) - lookSeconds) * 1000);
await sampler.stop();

const last = sampler.samples(SAMPLER_SERIES).at(-1);
const total = (sample: SeriesSample | undefined) =>
  sample?.state === 'present' ? sample.reading.totalSeconds : Number.NaN;
console.log(
  JSON.stringify({
    samples: sampler.samples(SAMPLER_SERIES).length,
    samplingSeconds: total(last) - total(first),
    elapsedSeconds: ((last?.tMs ?? 0) - (first?.tMs ?? 0)) / 1000,
    core: sampler.core(),
  }),
);
