import { Writable } from 'node:stream';
import { logUpdateStderr } from 'log-update';

/**
 * The one live status line a terminal shows at the bottom of stderr. Log lines written while
 * it is shown clear it first and redraw it after, so it never leaves stale copies behind.
 */
class LiveLine {
  #text = '';

  show(text: string): void {
    this.#text = text;
    logUpdateStderr(text);
  }

  hide(): void {
    if (this.#text !== '') logUpdateStderr.clear();
  }

  redraw(): void {
    if (this.#text !== '') logUpdateStderr(this.#text);
  }

  done(): void {
    this.hide();
    this.#text = '';
  }
}

export const liveLine = new LiveLine();

/** Writes to stderr above the live line, which a redraw would otherwise erase. */
export function writeAboveLiveLine(text: string | Buffer): void {
  liveLine.hide();
  process.stderr.write(text);
  liveLine.redraw();
}

/** A stderr stream that keeps the live line below whatever is written. */
export const stderrBelowLiveLine = new Writable({
  write(chunk: Buffer, _encoding, done) {
    writeAboveLiveLine(chunk);
    done();
  },
});
