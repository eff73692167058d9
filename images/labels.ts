/** Labels on local images, so a run (and a person) can tell what an image is made of. */
export const IMAGE_LABELS = {
  image: 'sysbox-repro.image',
  cacheKey: 'sysbox-repro.cache-key',
  rootfsKey: 'sysbox-repro.rootfs-key',
  suite: 'sysbox-repro.suite',
  packages: 'sysbox-repro.packages',
  mirror: 'sysbox-repro.mirror',
  recipeVersion: 'sysbox-repro.recipe-version',
  systemdVersion: 'sysbox-repro.systemd-version',
  maskedUnits: 'sysbox-repro.masked-units',
} as const;
