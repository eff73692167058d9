import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

const interruptModule = path.join(import.meta.dirname, 'interrupt.ts');

/**
 * A run started by npm (npm_command set) whose npm exits, as npm does at once on a signal
 * sent to it alone; the child writes what ended it, or "still running" after its budget.
 * With `viaShell` npm starts it through a `sh -c` that outlives npm, as npm exec does.
 */
function runUnderLauncher(out: string, npmCommand: string | undefined, viaShell = false): void {
  const child = `
    import { writeFileSync } from 'node:fs';
    import { interruptOnSignals } from ${JSON.stringify(interruptModule)};
    const interrupt = interruptOnSignals();
    interrupt.signal.addEventListener('abort', () => {
      writeFileSync(${JSON.stringify(out)}, String(interrupt.signal.reason.message));
      process.exit(0);
    });
    setTimeout(() => { writeFileSync(${JSON.stringify(out)}, 'still running'); }, 4000);
  `;
  const env = { ...process.env, npm_command: npmCommand };
  if (npmCommand === undefined) delete env.npm_command;
  const argv = [process.execPath, '--input-type=module', '-e', child];
  const [file, ...args] = viaShell
    ? ['/bin/sh', '-c', '"$@"; true', 'sh', ...argv] // `; true` keeps sh from exec-ing node
    : argv;
  const launcher = `
    process.title = 'npm exec sysbox-repro';
    const { spawn } = require('node:child_process');
    const child = spawn(${JSON.stringify(file)}, ${JSON.stringify(args)},
      { env: ${JSON.stringify(env)}, stdio: 'ignore', detached: true });
    child.unref();
    setTimeout(() => {}, 1500); // as npm does, outlive the child's start
  `;
  execFileSync(process.execPath, ['-e', launcher]);
}

async function waitForFile(file: string, budgetMs: number): Promise<string> {
  const deadline = Date.now() + budgetMs;
  for (;;) {
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text !== null || Date.now() > deadline) return text ?? `nothing in ${budgetMs} ms`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('a run started through npm', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'npm-launcher-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the exit of npm as its interrupt', async () => {
    const out = path.join(dir, 'npm.txt');

    runUnderLauncher(out, 'exec');

    expect(await waitForFile(out, 8000)).toBe('interrupted by npm, which started this run, exited');
  }, 15_000);

  it('takes the exit of npm as its interrupt when a shell stands between them', async () => {
    const out = path.join(dir, 'npm-sh.txt');

    runUnderLauncher(out, 'exec', true);

    expect(await waitForFile(out, 8000)).toBe('interrupted by npm, which started this run, exited');
  }, 15_000);

  it('goes on when started by anything else that exits (nohup, a shell)', async () => {
    const out = path.join(dir, 'shell.txt');

    runUnderLauncher(out, undefined);

    expect(await waitForFile(out, 8000)).toBe('still running');
  }, 15_000);
});
