import { type FileHandle, open, stat } from 'node:fs/promises';
import { LineSplitter } from '../line-splitter.ts';
import type { LogSource, OnLine } from './log-source.ts';

export interface FileFollowerOptions {
  path: string;
  onLine: OnLine;
  /** Read what the file already holds (offline use) instead of starting at its end. */
  fromStart?: boolean;
  pollMs?: number;
}

const READ_SIZE = 1 << 16;

/**
 * Follows a log file from its current end (the run window's start) across rotation. When the
 * path is renamed away and recreated, both are read until the end of the window: a writer
 * that never reopens its log (sysbox-fs opens it once) keeps appending to the renamed file.
 * When the file is truncated in place (copytruncate), reading restarts at 0.
 */
export async function startFileFollower(options: FileFollowerOptions): Promise<LogSource> {
  // One splitter per file, so a line cut at one file's end is not joined to another's.
  const newSplitter = () =>
    new LineSplitter((line) => {
      source.lines++;
      options.onLine(line);
    });
  const files: OpenFile[] = [];
  const first = await openAt(options.path, options.fromStart ?? false, newSplitter);
  if (first !== null) files.push(first);
  let timer: NodeJS.Timeout | null = null;
  let busy: Promise<void> = Promise.resolve();

  const poll = async () => {
    for (const file of files) await drain(file);
    const onDisk = await stat(options.path).catch(() => null);
    const newest = files.at(-1);
    if (onDisk === null) return;
    if (newest === undefined || onDisk.ino !== newest.inode) {
      const rotated = await openAt(options.path, true, newSplitter);
      if (rotated !== null) {
        files.push(rotated);
        await drain(rotated);
      }
    } else if (onDisk.size < newest.offset) {
      newest.offset = 0;
      await drain(newest);
    }
  };
  const schedule = () => {
    timer = setTimeout(() => {
      busy = poll().finally(() => {
        if (timer !== null) schedule();
      });
    }, options.pollMs ?? 200);
  };
  schedule();

  let stopping: Promise<void> | null = null;
  const source = {
    description: `file ${options.path}`,
    lines: 0,
    stop(): Promise<void> {
      stopping ??= (async () => {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        await busy;
        await poll();
        await Promise.all(files.map((file) => file.handle.close()));
        for (const file of files) file.splitter.end();
        files.length = 0;
      })();
      return stopping;
    },
    [Symbol.asyncDispose](): Promise<void> {
      return source.stop();
    },
  };
  return source;
}

interface OpenFile {
  handle: FileHandle;
  inode: number;
  offset: number;
  splitter: LineSplitter;
}

async function openAt(
  path: string,
  fromStart: boolean,
  newSplitter: () => LineSplitter,
): Promise<OpenFile | null> {
  const handle = await open(path, 'r').catch(() => null);
  if (handle === null) return null;
  const stats = await handle.stat();
  return { handle, inode: stats.ino, offset: fromStart ? 0 : stats.size, splitter: newSplitter() };
}

async function drain(file: OpenFile): Promise<void> {
  const buffer = Buffer.allocUnsafe(READ_SIZE);
  for (;;) {
    const { bytesRead } = await file.handle.read(buffer, 0, READ_SIZE, file.offset);
    if (bytesRead === 0) return;
    file.offset += bytesRead;
    file.splitter.push(buffer.subarray(0, bytesRead));
  }
}
