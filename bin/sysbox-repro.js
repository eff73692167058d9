#!/usr/bin/env node
// Node 24 runs the TypeScript sources directly (type stripping); older Node cannot.
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `sysbox-repro: needs Node >= 24, found ${process.versions.node}; ` +
      'run it through npx or npm scripts so node_modules/.bin/node (Node 24) is used\n',
  );
  process.exit(129); // the host is not ready, as for a missing engine or runtime
}
// Runs after the first load the TypeScript sources (analyze's workers too) from Node's compile
// cache instead of stripping their types again.
const { enableCompileCache } = await import('node:module');
enableCompileCache();
await import('../harness/cli/main.ts');
