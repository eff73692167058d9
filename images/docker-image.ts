import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { execa } from 'execa';
import { infrastructure } from '../harness/errors/harness-error.ts';
import type { Docker } from '../harness/runtime/docker-client.ts';
import { maskUnits } from './rootfs-setup.ts';

export interface LocalImageInfo {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly entrypoint: readonly string[];
  readonly stopSignal: string | undefined;
}

/** The image under `ref`, or undefined when the engine has none. */
export async function inspectImage(
  docker: Docker,
  ref: string,
): Promise<LocalImageInfo | undefined> {
  try {
    const info = await docker.getImage(ref).inspect();
    return {
      id: info.Id,
      labels: info.Config.Labels ?? {},
      entrypoint: toArray(info.Config.Entrypoint),
      stopSignal: (info.Config as { StopSignal?: string }).StopSignal,
    };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw infrastructure(`inspecting image ${ref} failed`, error);
  }
}

/** Imports a rootfs tarball as an untagged image with systemd as its entrypoint. */
export async function importRootfs(tarball: string): Promise<string> {
  try {
    const { stdout } = await execa('docker', [
      'import',
      '--change',
      'ENTRYPOINT ["/sbin/init"]',
      '--message',
      'sysbox-repro rootfs',
      tarball,
    ]);
    return stdout.trim();
  } catch (error) {
    throw infrastructure(`docker import of ${tarball} failed`, error);
  }
}

export interface LayerSpec {
  readonly from: string;
  readonly tag: string;
  /** Units to mask in this layer (links copied into /etc/systemd/system). */
  readonly maskedUnits: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Adds what `docker import --change` cannot set on Engine 20.10 (STOPSIGNAL) plus labels and
 * an optional overlay, with the engine's builder: no container is started and nothing pulled.
 */
export async function buildLayer(
  docker: Docker,
  contextDir: string,
  spec: LayerSpec,
): Promise<string> {
  await mkdir(contextDir, { recursive: true });
  const withOverlay = spec.maskedUnits.length > 0;
  if (withOverlay) await maskUnits(join(contextDir, 'overlay'), spec.maskedUnits);

  const lines = [`FROM ${spec.from}`];
  if (withOverlay) lines.push('COPY overlay/ /');
  lines.push('STOPSIGNAL SIGRTMIN+3');
  const labels = Object.entries(spec.labels).map(
    ([key, value]) => `${JSON.stringify(key)}=${JSON.stringify(value)}`,
  );
  if (labels.length > 0) lines.push(`LABEL ${labels.join(' ')}`);
  await writeFile(join(contextDir, 'Dockerfile'), `${lines.join('\n')}\n`);

  const src = withOverlay ? ['Dockerfile', 'overlay'] : ['Dockerfile'];
  try {
    const stream = await docker.buildImage(
      { context: contextDir, src },
      { t: spec.tag, networkmode: 'none', rm: true, forcerm: true, pull: false },
    );
    const events = await new Promise<BuildEvent[]>((resolve, reject) =>
      docker.modem.followProgress(stream, (error, output) =>
        error ? reject(error) : resolve(output as BuildEvent[]),
      ),
    );
    const failed = events.find((event) => event.error);
    if (failed) throw new Error(failed.error);
    const built = events.find((event) => event.aux?.ID)?.aux?.ID;
    if (!built) throw new Error('the builder reported no image id');
    return built;
  } catch (error) {
    throw infrastructure(`building ${spec.tag} from ${spec.from} failed`, error);
  }
}

/** Drops an image the last build replaced, unless a container or another tag still uses it. */
export async function removeReplacedImage(docker: Docker, id: string): Promise<boolean> {
  try {
    await docker.getImage(id).remove();
    return true;
  } catch {
    return false;
  }
}

interface BuildEvent {
  stream?: string;
  error?: string;
  aux?: { ID?: string };
}

function toArray(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}
