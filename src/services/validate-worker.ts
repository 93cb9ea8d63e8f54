/** A validation worker thread: takes batches of paths, returns their results in one message. */
import { parentPort, workerData } from 'node:worker_threads';
import { validateOne, type WorkerInit } from './validate.js';

const init = workerData as WorkerInit;
parentPort?.on('message', async (m: { seq: number; files: string[] }) => {
  const results = [];
  for (const f of m.files) results.push(await validateOne(f, init));
  parentPort?.postMessage({ seq: m.seq, results });
});
