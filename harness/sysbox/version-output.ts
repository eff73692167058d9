/** What `sysbox-runc|sysbox-mgr|sysbox-fs --version` prints, one `\tkey: \tvalue` line each. */
export interface ComponentVersion {
  program: string;
  /** `Community Edition (CE)` / `Enterprise Edition (EE)`; very old builds print `platform`. */
  edition: string | null;
  version: string | null;
  commit: string | null;
  builtAt: string | null;
  builtBy: string | null;
  /** sysbox-runc only. */
  ociSpecs: string | null;
  /** Every key as printed, for what this parser does not name. */
  fields: Record<string, string>;
}

/** Parses --version output; null when it has no `key: value` line at all. */
export function parseVersionOutput(output: string): ComponentVersion | null {
  const lines = output.split('\n').map((line) => line.replace(/\r$/, ''));
  const program = lines[0]?.trim() ?? '';
  const fields: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const match = /^\s*([a-z][a-z -]*?):\s*(.*)$/i.exec(line);
    if (match?.[1] === undefined) continue;
    fields[match[1].trim().toLowerCase()] = (match[2] ?? '').trim();
  }
  if (program.length === 0 || Object.keys(fields).length === 0) return null;

  const value = (key: string) => (fields[key] ? fields[key] : null);
  return {
    program,
    edition: value('edition') ?? value('platform'),
    version: value('version'),
    commit: value('commit'),
    builtAt: value('built at'),
    builtBy: value('built by'),
    ociSpecs: value('oci-specs'),
    fields,
  };
}

/** `dpkg-query -W -f='${Version}' sysbox-ce` prints e.g. `0.6.5-0.linux`; the upstream part. */
export function upstreamVersion(packageVersion: string): string {
  return packageVersion.replace(/^\d+:/, '').replace(/-[^-]*$/, '');
}
