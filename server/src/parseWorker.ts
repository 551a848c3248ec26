/**
 * A parsing worker: reads and parses the corpus files it is sent, off the
 * main thread, and sends back packed sources (their body arrays transferred,
 * not copied). Started by `ParsePool`; bundled as `server/out/parseWorker.js`.
 */
import { parentPort } from 'node:worker_threads';
import { readSourceFile, type FileJob, type FileParse } from './sourceFile';

/** A batch of files to read, and its answer. */
export interface ParseRequest {
  seq: number;
  jobs: FileJob[];
}
export interface ParseResponse {
  seq: number;
  results: FileParse[];
}

parentPort?.on('message', (request: ParseRequest) => {
  const results = request.jobs.map(readSourceFile);
  const transfer = results.flatMap((r) => [r.source?.body.buffer, r.hints?.figureCandidates?.buffer, r.hints?.numberWindows?.buffer].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer));
  parentPort!.postMessage({ seq: request.seq, results } satisfies ParseResponse, transfer);
});
