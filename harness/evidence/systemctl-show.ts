/**
 * Parses `systemctl show` output: KEY=VALUE lines, one block per unit, blocks separated by a
 * blank line, in the order the units were asked for.
 */
export function parseSystemctlShow(output: string): Record<string, string>[] {
  const blocks: Record<string, string>[] = [];
  let current: Record<string, string> | undefined;

  for (const line of output.split('\n')) {
    if (line.trim() === '') {
      current = undefined;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    if (!current) {
      current = {};
      blocks.push(current);
    }
    current[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return blocks;
}

/** First line of `systemctl --version`, e.g. "systemd 257 (257.9-1~deb13u1)" gives "257". */
export function parseSystemdVersion(output: string): string | null {
  return /^systemd (\d+)/.exec(output.trim())?.[1] ?? null;
}

/** Lines of `systemctl list-* --no-legend --plain`: the first column of each. */
export function firstColumn(output: string): string[] {
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}
