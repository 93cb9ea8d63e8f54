/**
 * `handover validate`: expand files, folders and globs into a stream of paths, validate them
 * on every core (worker threads) and hand each result, in input order, to a sink. Nothing is
 * held per file beyond the batches in flight, so memory stays flat however many files.
 */
import { existsSync } from 'node:fs';
import { opendir, stat } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { glob } from 'tinyglobby';
import { EXIT, HandoverError } from '../../core/errors.js';
import {
  DEFAULT_MAX_BYTES,
  type FileResult,
  tooLarge,
  type ValidateOptions,
  validateDocument,
} from '../../documents/validate.js';
import type { ServiceOverrides } from '../../domain/catalogue.js';
import type { Lang } from '../../i18n/index.js';
import { InOrder } from '../../io/in-order.js';
import { type SharedTrust, sharedTrustSnapshot } from '../../signing/trust.js';
import { checkSignature, validateOne } from './signatures.js';

export type { FileResult, Finding } from '../../documents/validate.js';
export { validateDocument, validateFile } from '../../documents/validate.js';

export interface Summary {
  files: number;
  valid: number;
  invalid: number;
  errors: number;
  warnings: number;
  byRule: Record<string, number>;
}

export interface ValidateManyOptions {
  paths: string[];
  lang: Lang;
  strict?: boolean;
  maxBytes?: number;
  verifySignatures?: boolean;
  /** Organisation's additions to the service catalogue (config `services`). */
  services?: ServiceOverrides;
  /** Worker threads to use; default: one per core. 0 validates in this thread. */
  workers?: number;
  onProgress?: (done: number, seen: number) => void;
  /** Where the path "-" reads its one document from; default: standard input. */
  stdin?: NodeJS.ReadableStream;
}

/** The path that names standard input (SPEC §5.5); its result is reported as file "-". */
export const STDIN_PATH = '-';

/**
 * Standard input up to the limit. Reading stops at the first byte past it (the stream is then
 * closed): an endless input such as /dev/zero must end in FILE_TOO_LARGE, not drain forever.
 */
async function readStdin(
  stream: NodeJS.ReadableStream,
  maxBytes: number,
): Promise<{ bytes: Buffer; over: boolean }> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const c of stream) {
    const b = typeof c === 'string' ? Buffer.from(c) : Buffer.from(c as Uint8Array);
    if (kept + b.length > maxBytes) return { bytes: Buffer.alloc(0), over: true };
    chunks.push(b);
    kept += b.length;
  }
  return { bytes: Buffer.concat(chunks), over: false };
}

const GLOB_CHARS = /[*?[\]{}]/;
/**
 * Paths go to the workers in batches that grow from FIRST_BATCH to BATCH, and each worker may
 * hold up to IN_FLIGHT of them: the first files start at once, later ones cost few messages,
 * and a worker always has work queued while this thread waits for a turn on a busy machine.
 */
const FIRST_BATCH = 16;
const BATCH = 128;
const IN_FLIGHT = 3;
/** Below this many files the start-up of workers costs more than it saves. */
const IN_PROCESS_LIMIT = 200;

/** Fails fast, before any output, on a path that does not exist (usage error, SPEC §3). */
export function checkInputs(paths: string[]): void {
  if (paths.length === 0) throw new HandoverError('NO_INPUT', EXIT.usage);
  for (const p of paths) {
    if (p !== STDIN_PATH && !existsSync(p) && !GLOB_CHARS.test(p))
      throw new HandoverError('PATH_NOT_FOUND', EXIT.usage, { vars: { file: p } });
  }
}

/** Up to this many entries a folder is walked in name order; beyond, in directory order. */
const SORT_LIMIT = 10_000;

type Entry = readonly [name: string, isDir: boolean];
const byName = (x: Entry, y: Entry) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0);

/**
 * *.json files below a folder. Folders of ordinary size come out sorted by name; a huge one
 * streams in directory order instead, so that memory stays flat however many files it holds.
 */
async function* walk(dir: string): AsyncGenerator<string> {
  let handle: Awaited<ReturnType<typeof opendir>>;
  try {
    handle = await opendir(dir, { bufferSize: 256 });
  } catch {
    // An unreadable folder: report it as one unreadable input rather than failing the batch.
    yield dir;
    return;
  }
  let buffered: Entry[] | undefined = [];
  for await (const d of handle) {
    let e: Entry;
    if (d.isDirectory()) e = [d.name, true];
    // Folder links are not followed: a link loop must not hang a batch job.
    else if ((d.isFile() || d.isSymbolicLink()) && d.name.toLowerCase().endsWith('.json'))
      e = [d.name, false];
    else continue;
    if (!buffered) {
      if (e[1]) yield* walk(join(dir, e[0]));
      else yield join(dir, e[0]);
      continue;
    }
    buffered.push(e);
    if (buffered.length > SORT_LIMIT) {
      for (const x of buffered) {
        if (x[1]) yield* walk(join(dir, x[0]));
        else yield join(dir, x[0]);
      }
      buffered = undefined;
    }
  }
  if (buffered)
    for (const x of buffered.sort(byName)) {
      if (x[1]) yield* walk(join(dir, x[0]));
      else yield join(dir, x[0]);
    }
}

/** Files, folders (recursive, *.json) and globs, in the order given. */
export async function* expandInputs(paths: string[]): AsyncGenerator<string> {
  for (const p of paths) {
    let st: Awaited<ReturnType<typeof stat>> | undefined;
    try {
      st = await stat(p);
    } catch {
      st = undefined;
    }
    // A folder named on the command line is walked even through a link: the user chose it.
    if (st?.isDirectory()) yield* walk(p);
    else if (st) yield p;
    else if (GLOB_CHARS.test(p)) {
      const found = await glob(p, { onlyFiles: true, dot: false, expandDirectories: false });
      found.sort();
      yield* found;
    } else yield p; // vanished since checkInputs: validateFile reports FILE_UNREADABLE
  }
}

export const emptySummary = (): Summary => ({
  files: 0,
  valid: 0,
  invalid: 0,
  errors: 0,
  warnings: 0,
  byRule: {},
});

export function addToSummary(s: Summary, r: FileResult): void {
  s.files++;
  if (r.valid) s.valid++;
  else s.invalid++;
  for (const f of r.findings) {
    if (f.severity === 'error') s.errors++;
    else s.warnings++;
    s.byRule[f.rule] = (s.byRule[f.rule] ?? 0) + 1;
  }
}

export interface WorkerInit {
  opts: ValidateOptions;
  verifySignatures: boolean;
  /** An office's trust store as this command read it: worker threads cannot read it themselves. */
  officeTrust?: { url: string; trust: SharedTrust };
}

function workerUrl(): URL | undefined {
  const url = new URL('./worker.js', import.meta.url);
  // Running from the TypeScript sources (tests) there is no compiled worker: stay in-process.
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

export async function validateMany(
  opts: ValidateManyOptions,
  sink: (r: FileResult) => void,
): Promise<Summary> {
  checkInputs(opts.paths);
  const init: WorkerInit = {
    opts: { lang: opts.lang, strict: opts.strict ?? false, maxBytes: opts.maxBytes, services: opts.services },
    verifySignatures: opts.verifySignatures ?? false,
  };
  const office = opts.verifySignatures ? sharedTrustSnapshot() : undefined;
  if (office) init.officeTrust = office;
  const stdin = opts.paths.includes(STDIN_PATH)
    ? await readStdin(opts.stdin ?? process.stdin, init.opts.maxBytes ?? DEFAULT_MAX_BYTES)
    : undefined;
  const one = async (file: string): Promise<FileResult> => {
    if (file !== STDIN_PATH || !stdin) return validateOne(file, init);
    const r = stdin.over
      ? tooLarge(undefined, init.opts.maxBytes ?? DEFAULT_MAX_BYTES, init.opts.lang)
      : validateDocument(stdin.bytes, init.opts);
    const result: FileResult = { file, kind: r.kind, valid: r.valid, findings: r.findings };
    if (init.verifySignatures && r.doc !== undefined) await checkSignature(r.doc, result, init.opts);
    return result;
  };
  const summary = emptySummary();
  let seen = 0;
  const emit = (r: FileResult) => {
    addToSummary(summary, r);
    sink(r);
    opts.onProgress?.(summary.files, seen);
  };
  const wanted = opts.workers ?? Math.min(availableParallelism(), 8);
  // Standard input was read here; a worker thread cannot read it again.
  const url = wanted > 0 && !stdin ? workerUrl() : undefined;
  // Workers load their modules while the folders are listed: a batch job starts sooner. Only
  // when many files are likely, since starting threads costs more than a few files do.
  let workers = url && (await mayBeMany(opts.paths)) ? startWorkers(url, wanted, init) : undefined;
  const it = expandInputs(opts.paths)[Symbol.asyncIterator]();
  const head: string[] = [];
  let done = false;
  while (head.length < IN_PROCESS_LIMIT) {
    const n = await it.next();
    if (n.done) {
      done = true;
      break;
    }
    head.push(n.value);
    seen++;
  }
  if (done || !url) {
    if (workers) await Promise.all(workers.map((w) => w.terminate()));
    for (const f of head) emit(await one(f));
    if (!done)
      for (let n = await it.next(); !n.done; n = await it.next()) {
        seen++;
        emit(await one(n.value));
      }
    return summary;
  }
  workers ??= startWorkers(url, wanted, init);
  await runPool(workers, head, it, emit, () => seen++);
  return summary;
}

/** A folder, a glob or a long list of paths. */
async function mayBeMany(paths: string[]): Promise<boolean> {
  if (paths.length > IN_PROCESS_LIMIT) return true;
  for (const p of paths) {
    if (GLOB_CHARS.test(p) && !existsSync(p)) return true;
    if ((await stat(p).catch(() => undefined))?.isDirectory()) return true;
  }
  return false;
}

/** A worker's failure before the pool listens to it (while the folders are still listed). */
const earlyFailure = new WeakMap<Worker, Error>();

function startWorkers(url: URL, size: number, init: WorkerInit): Worker[] {
  return Array.from({ length: size }, () => {
    const w = new Worker(url, { workerData: init });
    w.once('error', (e) => earlyFailure.set(w, e));
    return w;
  });
}

/** Batches go to the least busy worker; results are put back in input order before the sink. */
async function runPool(
  workers: Worker[],
  head: string[],
  rest: AsyncIterator<string>,
  emit: (r: FileResult) => void,
  onSeen: () => void,
): Promise<void> {
  const busy = new Map<Worker, number>(workers.map((w) => [w, 0]));
  const inOrder = new InOrder<FileResult[]>((batch) => {
    for (const x of batch) emit(x);
  });
  const sent = new Map<number, string[]>();
  let nextSeq = 0;
  let wake: (() => void) | undefined;
  let failure: Error | undefined = workers.map((w) => earlyFailure.get(w)).find((e) => e !== undefined);
  for (const w of workers) {
    w.on('message', (m: { seq: number; results: (FileResult | null)[] }) => {
      busy.set(w, (busy.get(w) ?? 1) - 1);
      const files = sent.get(m.seq) ?? [];
      sent.delete(m.seq);
      inOrder.put(
        m.seq,
        m.results.map((r, i) => r ?? { file: files[i] ?? '', kind: 'handover', valid: true, findings: [] }),
      );
      wake?.();
    });
    w.on('error', (e) => {
      failure = e;
      wake?.();
    });
  }
  const waitForSlot = async (): Promise<Worker> => {
    for (;;) {
      if (failure) throw failure;
      let best: Worker | undefined;
      for (const [w, n] of busy) if (n < IN_FLIGHT && (!best || n < (busy.get(best) ?? 0))) best = w;
      if (best) return best;
      await new Promise<void>((r) => (wake = r));
    }
  };
  const send = async (batch: string[]) => {
    const w = await waitForSlot();
    busy.set(w, (busy.get(w) ?? 0) + 1);
    sent.set(nextSeq, batch);
    w.postMessage({ seq: nextSeq++, files: batch });
  };
  let size = FIRST_BATCH;
  const grow = () => {
    size = Math.min(size * 2, BATCH);
  };
  try {
    let batch: string[] = [];
    for (const f of head) {
      batch.push(f);
      if (batch.length === size) {
        await send(batch);
        batch = [];
        grow();
      }
    }
    for (let n = await rest.next(); !n.done; n = await rest.next()) {
      onSeen();
      batch.push(n.value);
      if (batch.length >= size) {
        await send(batch);
        batch = [];
        grow();
      }
    }
    if (batch.length) await send(batch);
    while (inOrder.emitted < nextSeq) {
      if (failure) throw failure;
      await new Promise<void>((r) => (wake = r));
    }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
