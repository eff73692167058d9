import { removeAllStarted } from '../runtime/container.ts';

/**
 * Turns SIGINT, SIGTERM and SIGHUP (a dropped ssh session, a closed terminal) into an aborted
 * signal the run observes between and inside its steps, so containers are removed and a
 * report marked interrupted is still written.
 * A second signal removes the containers and exits at once.
 */
export function interruptOnSignals(): AbortController & Disposable {
  const controller = new AbortController();
  let signals = 0;

  const onSignal = (name: NodeJS.Signals) => {
    signals++;
    if (signals === 1) {
      process.stderr.write(`\nsysbox-repro: ${name}: removing containers, writing the report\n`);
      controller.abort(new Error(`interrupted by ${name}`));
      return;
    }
    process.stderr.write(`sysbox-repro: ${name} again: removing containers and exiting\n`);
    void removeAllStarted().finally(() => process.exit(130));
  };

  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('SIGHUP', onSignal);
  return Object.assign(controller, {
    [Symbol.dispose]() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      process.off('SIGHUP', onSignal);
    },
  });
}
