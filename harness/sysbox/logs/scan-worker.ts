// Worker side of analyzeFile: scans the segments of one file it is sent, in order, and
// posts each segment's events back.
import { closeSync, openSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { LineBuffer } from './line-buffer.ts';
import { createLogScanner, type LogScannerChoice } from './log-scanner.ts';
import { scanFileSegment } from './scan-file.ts';
import type { SegmentRequest, SegmentResult } from './segments.ts';
import { UnmountEvents } from './unmount-events.ts';

const port = parentPort;
if (port === null) throw new Error('scan-worker runs only as a worker thread');

const { path, scanner } = workerData as { path: string; scanner: LogScannerChoice };
const fd = openSync(path, 'r');
const events = new UnmountEvents();
const lines = new LineBuffer(createLogScanner(events, scanner));

port.on('message', (request: SegmentRequest | null) => {
  if (request === null) {
    closeSync(fd);
    port.close();
    return;
  }
  const partialLastLine = scanFileSegment(fd, request.from, request.to, lines);
  const batch = events.take(request.spareOps);
  const result: SegmentResult = { index: request.index, batch, partialLastLine };
  port.postMessage(result, [batch.ops.buffer as ArrayBuffer]);
});
port.postMessage('ready');
