import Docker from 'dockerode';
import { hostNotReady } from '../errors/harness-error.ts';

export type { Docker };

/** The Docker Engine the harness talks to: DOCKER_HOST if set, else the local socket. */
export function dockerClient(): Docker {
  return new Docker();
}

/** Fails with a host-not-ready error (and how to fix it) when the engine does not answer. */
export async function assertDockerReachable(docker: Docker, budgetMs = 5_000): Promise<void> {
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`no answer within ${budgetMs} ms`)), budgetMs).unref(),
  );
  try {
    await Promise.race([docker.ping(), timeout]);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    const where = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
    throw hostNotReady(
      `Docker Engine at ${where} not reachable: ${why}`,
      'start it (e.g. `systemctl start docker`, or `bash .ci/run` on a test host)',
    );
  }
}
