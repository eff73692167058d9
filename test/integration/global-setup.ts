import { createLogger } from '../../harness/log/logger.ts';
import { ensureLocalImages } from '../../images/local-images.ts';

/**
 * Integration suites run systemd containers from the local images; build them first when
 * missing or stale, so `npm test` works on a host that never ran `npm run images`.
 */
export default async function globalSetup(): Promise<void> {
  await ensureLocalImages(undefined, { logger: createLogger() });
}
