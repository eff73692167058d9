/**
 * Runs the benchmarks: all of them, or the ones named on the command line
 * (`npm run bench -- cpu`). Each module exports `run(): Promise<void>` and prints its tables.
 */
const MODULES: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  cpu: () => import('./cpu.ts'),
  logs: () => import('./logs.ts'),
  taskstats: () => import('./taskstats.ts'),
};

const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in MODULES));
if (unknown.length > 0) {
  console.error(
    `unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(MODULES).join(', ')}`,
  );
  process.exit(2);
}

for (const name of asked.length > 0 ? asked : Object.keys(MODULES)) {
  const load = MODULES[name];
  if (!load) continue;
  console.log(`\n## bench ${name}\n`);
  const started = performance.now();
  await (await load()).run();
  console.log(`\n(${name} took ${((performance.now() - started) / 1000).toFixed(0)} s)`);
}
