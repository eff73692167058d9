import { readFileSync } from 'node:fs';

// An ESM-only dependency that Jest cannot load should fail here, not in production.
const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
const runtimeDependencies = Object.keys(manifest.dependencies as Record<string, string>);

describe('runtime dependencies', () => {
  it.each(runtimeDependencies)('%s loads', async (name) => {
    const loaded: Record<string, unknown> = await import(name);

    expect(Object.keys(loaded).length).toBeGreaterThan(0);
  });
});
