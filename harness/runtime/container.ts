import type Docker from 'dockerode';
import { infrastructure } from '../errors/harness-error.ts';
import type { Logger } from '../log/logger.ts';
import { silentLogger } from '../log/logger.ts';
import { type ExecResult, execInContainer } from './exec.ts';
import { onForcedExit } from './forced-exit.ts';
import { type SystemContainerSpec, toCreateOptions } from './system-container.ts';

export interface StartOptions {
  logger?: Logger;
  /** Removed by force after this long, whatever the run is doing. */
  safetyCapMs: number;
}

/**
 * A system container the harness started. It cannot outlive its scope: disposing it removes
 * it (by force, with its anonymous volumes), and so does the safety cap.
 */
export interface StartedSystemContainer extends AsyncDisposable {
  readonly id: string;
  readonly name: string;
  /** The image's id (sha256) as the engine resolved the reference at start. */
  imageId: string;
  readonly spec: SystemContainerSpec;
  exec(argv: readonly string[], budgetMs?: number): Promise<ExecResult>;
  isRunning(): Promise<boolean>;
  /** Idempotent; resolves once the engine has removed the container. */
  remove(): Promise<void>;
  /** Set when the safety cap removed the container. */
  readonly cappedAt: number | undefined;
}

export async function startSystemContainer(
  docker: Docker,
  spec: SystemContainerSpec,
  options: StartOptions,
): Promise<StartedSystemContainer> {
  const logger = options.logger ?? silentLogger;
  const container = await docker.createContainer(toCreateOptions(spec)).catch((error) => {
    throw infrastructure(`creating container ${spec.name} from ${spec.image} failed`, error);
  });
  const handle = wrap(container, spec, options, logger);

  try {
    await container.start();
  } catch (error) {
    await handle.remove();
    const why = error instanceof Error ? error.message : String(error);
    throw infrastructure(`starting container ${spec.name} (${spec.runtime}) failed: ${why}`, error);
  }
  const info = await container.inspect();
  handle.imageId = info.Image;
  logger.info(
    { kind: 'container', id: container.id, container: spec.name },
    `started ${spec.name}`,
  );
  return handle;
}

function wrap(
  container: Docker.Container,
  spec: SystemContainerSpec,
  options: StartOptions,
  logger: Logger,
): StartedSystemContainer {
  let removal: Promise<void> | undefined;
  let cappedAt: number | undefined;

  const remove = () => {
    removal ??= (async () => {
      clearTimeout(cap);
      const started = performance.now();
      await container.remove({ force: true, v: true }).catch((error: { statusCode?: number }) => {
        if (error.statusCode !== 404) throw error;
      });
      forcedExit[Symbol.dispose]();
      const ms = Math.round(performance.now() - started);
      logger.info({ kind: 'container', id: container.id }, `removed ${spec.name} in ${ms} ms`);
    })();
    return removal;
  };

  // A run made to exit at once (a second Ctrl-C) removes the containers it has alive, even
  // mid-step.
  const forcedExit = onForcedExit(`docker rm -f ${spec.name}`, () => remove());

  const cap = setTimeout(() => {
    cappedAt = Date.now();
    logger.warn(
      { kind: 'container', id: container.id },
      `safety cap: removing ${spec.name} after ${options.safetyCapMs} ms`,
    );
    void remove().catch(() => {});
  }, options.safetyCapMs);
  cap.unref();

  const handle: StartedSystemContainer = {
    id: container.id,
    name: spec.name,
    spec,
    imageId: '',
    get cappedAt() {
      return cappedAt;
    },
    exec: (argv, budgetMs) => {
      logger.debug({ kind: 'exec', id: container.id, argv }, `exec ${argv.join(' ')}`);
      return execInContainer(container, argv, budgetMs);
    },
    isRunning: async () => {
      const state = await container.inspect().catch(() => undefined);
      return state?.State.Running === true;
    },
    remove,
    [Symbol.asyncDispose]: remove,
  };
  return handle;
}
