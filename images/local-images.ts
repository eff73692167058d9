import { join } from 'node:path';
import type { Logger } from '../harness/log/logger.ts';
import { silentLogger } from '../harness/log/logger.ts';
import {
  assertDockerReachable,
  type Docker,
  dockerClient,
} from '../harness/runtime/docker-client.ts';
import { createBuildDir, sweepAbandonedBuildDirs } from './build-dir.ts';
import { rootfsCacheDir } from './cache-dir.ts';
import { imageCacheKey, rootfsCacheKey } from './cache-key.ts';
import { assertDebootstrapUsable, bootstrapRootfs, packRootfs } from './debootstrap.ts';
import { buildLayer, importRootfs, inspectImage, removeReplacedImage } from './docker-image.ts';
import { IMAGE_LABELS } from './labels.ts';
import {
  debianMirror,
  LOCAL_IMAGES,
  type LocalImageRecipe,
  type LocalImageRef,
  RECIPE_VERSION,
  type RootfsRecipe,
} from './recipes.ts';
import {
  checkRootfsCache,
  commitRootfsTarball,
  type RootfsSidecar,
  rootfsCacheSlot,
} from './rootfs-cache.ts';

export { IMAGE_LABELS } from './labels.ts';
export { isLocalImage, LOCAL_IMAGES, type LocalImageRef } from './recipes.ts';

export interface EnsureImageOptions {
  logger?: Logger;
  docker?: Docker;
  /** Rebuild the rootfs and the images even when cache and images are current. */
  rebuild?: boolean;
  /** Defaults to rootfsCacheDir(). */
  cacheDir?: string;
  /** Defaults to debianMirror(). */
  mirror?: string;
}

export interface EnsuredImage {
  readonly ref: LocalImageRef;
  /** `present`: an image with the recipe's cache key was already there. */
  readonly action: 'present' | 'built';
  readonly imageId: string;
  readonly cacheKey: string;
  /** How the rootfs was obtained, for images built from a tarball. */
  readonly rootfs?: 'cached' | 'bootstrapped';
  readonly durationMs: number;
}

/** Makes sure `ref` exists with the current recipe, building it (and its base) if not. */
export async function ensureLocalImage(
  ref: LocalImageRef,
  options: EnsureImageOptions = {},
): Promise<EnsuredImage> {
  const [ensured] = await ensureLocalImages([ref], options);
  return ensured as EnsuredImage;
}

/** Like ensureLocalImage for several refs, sharing one rootfs build between them. */
export async function ensureLocalImages(
  refs: readonly LocalImageRef[] = Object.keys(LOCAL_IMAGES) as LocalImageRef[],
  options: EnsureImageOptions = {},
): Promise<EnsuredImage[]> {
  const docker = options.docker ?? dockerClient();
  await assertDockerReachable(docker);
  const builder = new LocalImageBuilder(docker, options);
  const ensured: EnsuredImage[] = [];
  for (const ref of refs) ensured.push(await builder.ensure(ref));
  return ensured;
}

type CachedRootfs = RootfsSidecar & { tarball: string; how: 'cached' | 'bootstrapped' };

class LocalImageBuilder {
  readonly #docker: Docker;
  readonly #logger: Logger;
  readonly #rebuild: boolean;
  readonly #cacheDir: string;
  readonly #mirror: string;
  readonly #images = new Map<LocalImageRef, Promise<EnsuredImage>>();
  readonly #rootfs = new Map<string, Promise<CachedRootfs>>();

  constructor(docker: Docker, options: EnsureImageOptions) {
    this.#docker = docker;
    this.#logger = options.logger ?? silentLogger;
    this.#rebuild = options.rebuild ?? false;
    this.#cacheDir = options.cacheDir ?? rootfsCacheDir();
    this.#mirror = options.mirror ?? debianMirror();
  }

  ensure(ref: LocalImageRef): Promise<EnsuredImage> {
    let pending = this.#images.get(ref);
    if (!pending) {
      pending = this.#ensureImage(LOCAL_IMAGES[ref]);
      this.#images.set(ref, pending);
    }
    return pending;
  }

  async #ensureImage(recipe: LocalImageRecipe): Promise<EnsuredImage> {
    const base = recipe.base ? await this.ensure(recipe.base) : undefined;
    const rootfsKey = this.#rootfsKey(recipe.rootfs);
    const cacheKey = imageCacheKey(rootfsKey, recipe.maskedUnits);
    const started = performance.now();
    const log = this.#logger.child({ kind: 'image', image: recipe.ref });

    const existing = await inspectImage(this.#docker, recipe.ref);
    const existingKey = existing?.labels[IMAGE_LABELS.cacheKey];
    if (existing && existingKey === cacheKey && !this.#rebuild) {
      log.info({ cacheKey }, `${recipe.ref} is up to date`);
      return { ref: recipe.ref, action: 'present', imageId: existing.id, cacheKey, durationMs: 0 };
    }
    if (existing && existingKey !== cacheKey) {
      log.info({ existingKey, cacheKey }, `${recipe.ref} was made by another recipe`);
    }

    log.info(`building ${recipe.ref}…`);
    await using buildDir = await createBuildDir(this.#cacheDir);
    const labels = {
      [IMAGE_LABELS.image]: recipe.ref,
      [IMAGE_LABELS.cacheKey]: cacheKey,
      [IMAGE_LABELS.maskedUnits]: [...recipe.maskedUnits].sort().join(','),
    };
    let rootfs: CachedRootfs | undefined;
    let imageId: string;
    if (base) {
      imageId = await buildLayer(this.#docker, buildDir.path, {
        from: base.imageId,
        tag: recipe.ref,
        maskedUnits: recipe.maskedUnits,
        labels,
      });
    } else {
      rootfs = await this.#ensureRootfs(recipe.rootfs, rootfsKey);
      const imported = await importRootfs(rootfs.tarball);
      imageId = await buildLayer(this.#docker, buildDir.path, {
        from: imported,
        tag: recipe.ref,
        maskedUnits: recipe.maskedUnits,
        labels: { ...labels, ...rootfsLabels(rootfs, rootfsKey) },
      });
    }

    if (
      existing &&
      existing.id !== imageId &&
      (await removeReplacedImage(this.#docker, existing.id))
    ) {
      log.debug({ imageId: existing.id }, 'removed the image this build replaced');
    }
    const durationMs = Math.round(performance.now() - started);
    log.info({ imageId, cacheKey, durationMs }, `built ${recipe.ref} in ${durationMs} ms`);
    return { ref: recipe.ref, action: 'built', imageId, cacheKey, rootfs: rootfs?.how, durationMs };
  }

  #rootfsKey(recipe: RootfsRecipe): string {
    return rootfsCacheKey({ ...recipe, mirror: this.#mirror });
  }

  #ensureRootfs(recipe: RootfsRecipe, key: string): Promise<CachedRootfs> {
    let pending = this.#rootfs.get(key);
    if (!pending) {
      pending = this.#loadOrBootstrapRootfs(recipe, key);
      this.#rootfs.set(key, pending);
    }
    return pending;
  }

  async #loadOrBootstrapRootfs(recipe: RootfsRecipe, key: string): Promise<CachedRootfs> {
    const slot = rootfsCacheSlot(this.#cacheDir, recipe.suite);
    const log = this.#logger.child({ kind: 'image', suite: recipe.suite, tarball: slot.tarball });

    if (this.#rebuild) {
      log.info('rebuild requested: ignoring the rootfs cache');
    } else {
      const state = await checkRootfsCache(slot, key);
      if (state.status === 'valid') {
        log.info({ sha256: state.sidecar.sha256 }, `using cached ${recipe.suite} rootfs`);
        return { ...state.sidecar, tarball: slot.tarball, how: 'cached' };
      }
      if (state.status === 'missing') log.info(`no cached ${recipe.suite} rootfs`);
      else log.warn({ cache: state.status }, `${state.status} rootfs cache: ${state.reason}`);
    }

    await assertDebootstrapUsable();
    await sweepAbandonedBuildDirs(this.#cacheDir, this.#logger);
    await using buildDir = await createBuildDir(this.#cacheDir);
    const started = performance.now();
    log.info({ mirror: this.#mirror }, `bootstrapping debian ${recipe.suite}…`);

    const root = join(buildDir.path, 'rootfs');
    const { systemdVersion } = await bootstrapRootfs(recipe, this.#mirror, root, log);
    const tarball = join(buildDir.path, 'rootfs.tar');
    await packRootfs(root, tarball);
    const sidecar = await commitRootfsTarball(slot, tarball, {
      key,
      suite: recipe.suite,
      packages: [...recipe.packages].sort(),
      mirror: this.#mirror,
      recipeVersion: RECIPE_VERSION,
      systemdVersion,
    });

    const durationMs = Math.round(performance.now() - started);
    log.info(
      { durationMs, size: sidecar.size, systemdVersion },
      `bootstrapped debian ${recipe.suite} in ${durationMs} ms`,
    );
    return { ...sidecar, tarball: slot.tarball, how: 'bootstrapped' };
  }
}

function rootfsLabels(rootfs: RootfsSidecar, rootfsKey: string): Record<string, string> {
  return {
    [IMAGE_LABELS.rootfsKey]: rootfsKey,
    [IMAGE_LABELS.suite]: rootfs.suite,
    [IMAGE_LABELS.packages]: rootfs.packages.join(','),
    [IMAGE_LABELS.mirror]: rootfs.mirror,
    [IMAGE_LABELS.recipeVersion]: String(rootfs.recipeVersion),
    [IMAGE_LABELS.systemdVersion]: rootfs.systemdVersion,
  };
}
