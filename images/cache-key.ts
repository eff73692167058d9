import { createHash } from 'node:crypto';
import { RECIPE_VERSION, type RootfsRecipe } from './recipes.ts';

export interface RootfsKeyInput extends RootfsRecipe {
  readonly mirror: string;
  readonly recipeVersion?: number;
}

/** Identifies a rootfs tarball: same suite, packages (in any order), mirror and recipe. */
export function rootfsCacheKey(input: RootfsKeyInput): string {
  return sha256OfJson({
    suite: input.suite,
    packages: [...input.packages].sort(),
    mirror: input.mirror,
    recipeVersion: input.recipeVersion ?? RECIPE_VERSION,
  });
}

/** Identifies an image: the rootfs it was made from and what was changed on top. */
export function imageCacheKey(rootfsKey: string, maskedUnits: readonly string[]): string {
  return sha256OfJson({ rootfsKey, maskedUnits: [...maskedUnits].sort() });
}

function sha256OfJson(value: unknown): string {
  return createHash('sha256').update(JSON.stringify(value)).digest('hex');
}
