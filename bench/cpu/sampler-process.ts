/**
 * The sampler alone in a Node process, so its whole cost (wake-ups, V8, reads) can be measured
 * from outside: node sampler-process.ts <intervalMs> <seconds> <pid>. Prints the CPU of the
 * sampler's own thread (its 'sampler' series: sleeping, waking and sampling), as JSON.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SAMPLER_SERIES, startSampler } from '../../harness/measure/sampler.ts';

const [intervalMs, seconds, pid] = process.argv.slice(2).map(Number);
const sampler = await startSampler({
  intervalMs,
  series: {
    target: { kind: 'pid', pid: pid as number, via: 'proc' },
    container: { kind: 'cgroup', path: '/' },
    host: { kind: 'host' },
  },
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
