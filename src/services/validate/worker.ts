/**
 * A validation worker thread: takes batches of paths, returns their results in one message.
 * It imports only what validating needs (not the folder walk or the glob library), since every
 * worker pays its imports again.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { FileResult } from '../../documents/validate.js';
import { setSharedTrust } from '../../signing/trust.js';
import type { WorkerInit } from './index.js';
import { validateOne } from './signatures.js';

const init = workerData as WorkerInit;
if (init.officeTrust) setSharedTrust(init.officeTrust.url, init.officeTrust.trust);
parentPort?.on('message', async (m: { seq: number; files: string[] }) => {
  // A clean handover travels back as null: most files are, and the main thread knows its name.
  const results: (FileResult | null)[] = [];
  for (const f of m.files) {
    const r = await validateOne(f, init);
    results.push(r.valid && r.kind === 'handover' && r.findings.length === 0 ? null : r);
  }
  parentPort?.postMessage({ seq: m.seq, results });
});
