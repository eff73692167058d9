/**
 * What one series measures. The first three mirror the scenario's `Target`; a scenario's
 * `{kind: 'container'}` target becomes `{kind: 'cgroup', path: containerCgroupPath(id)}`.
 */
export type SeriesSpec =
  | {
      kind: 'process';
      /** Matched against the kernel's comm (15 bytes) and, for longer names, argv[0]. */
      name: string;
      /** 'auto' measures through the process's own systemd service cgroup when it has one. */
      via?: Via;
    }
  | { kind: 'pid'; pid: number; via?: Via }
  | {
      kind: 'cgroup';
      /** A cgroup directory (/sys/fs/cgroup/...) or a path inside the hierarchy (/docker/<id>). */
      path: string;
    }
  | { kind: 'host' };

export type Via = 'auto' | 'proc';

export function describeSpec(spec: SeriesSpec): string {
  switch (spec.kind) {
    case 'process':
      return `process "${spec.name}"`;
    case 'pid':
      return `pid ${spec.pid}`;
    case 'cgroup':
      return `cgroup ${spec.path}`;
    case 'host':
      return 'host';
  }
}
