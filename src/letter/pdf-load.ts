/**
 * pdf-lib's `PDFDocument.load` with every stream it inflates while loading under one cap
 * (SPEC §10: no PDF costs more than --max-size in memory, nor more than seconds).
 *
 * pdf-lib parses a PDF object by object and inflates each object stream (/Type /ObjStm) and
 * cross-reference stream (/Type /XRef) it meets, whole and without a limit, whether the
 * cross-reference table names it or not: a 1 MB file whose object stream inflates to 1 GiB
 * took 37 s and 2.1 GB. A scan of the raw bytes beforehand cannot see what pdf-lib sees (names
 * written with #xx escapes, a /Type or /Filter behind an indirect reference), so the bound sits
 * where pdf-lib decodes: its two stream parsers are given a stream decoded by pdf-lib's own
 * decoder, read only up to what is left of the load's budget. The budget of each load travels
 * with it (AsyncLocalStorage), since loads of several files interleave in one import.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PDFDocument, PDFRawStream } from 'pdf-lib';
import { EXIT, HandoverError } from '../core/errors.js';

type PdfLib = typeof import('pdf-lib');

interface Budget {
  /** Bytes that the streams of this load may still inflate to. */
  left: number;
  readonly max: number;
  exceeded: boolean;
}

const budgets = new AsyncLocalStorage<Budget>();

let installed: Promise<PdfLib> | undefined;

const CHUNK = 1 << 16;

/**
 * The inflated bytes of `raw` within the budget, as a stream without filters; past the
 * budget an empty stream (no objects, no entries) instead, and the load is refused when it
 * ends. Not an exception: pdf-lib catches it, prints a warning and reparses the object.
 */
function decodedWithin(lib: PdfLib, raw: PDFRawStream, budget: Budget): PDFRawStream {
  const { PDFName, PDFNumber, PDFRawStream: Raw } = lib;
  const dict = raw.dict.clone();
  dict.delete(PDFName.of('Filter'));
  dict.delete(PDFName.of('DecodeParms'));
  const empty = (): PDFRawStream => {
    budget.exceeded = true;
    budget.left = 0;
    dict.set(PDFName.of('N'), PDFNumber.of(0));
    dict.set(PDFName.of('Size'), PDFNumber.of(0));
    dict.delete(PDFName.of('Index'));
    return Raw.of(dict, new Uint8Array(0));
  };
  if (budget.exceeded) return empty();
  // Read in blocks up to one byte more than is left ("over" is then told from "exactly at
  // the cap"): pdf-lib's DecodeStream inflates only as far as asked, and a small stream
  // never reserves the whole budget.
  const stream = lib.decodePDFRawStream(raw);
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const chunk = stream.getBytes(Math.min(CHUNK, budget.left + 1 - total));
    if (chunk.length === 0) break;
    chunks.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    total += chunk.length;
    if (total > budget.left) return empty();
  }
  budget.left -= total;
  return Raw.of(dict, chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
}

/** Wraps pdf-lib's two stream parsers once per process; outside a bounded load they are unchanged. */
function install(): Promise<PdfLib> {
  installed ??= import('pdf-lib').then((lib) => {
    const objStm = lib.PDFObjectStreamParser.forStream.bind(lib.PDFObjectStreamParser);
    lib.PDFObjectStreamParser.forStream = (raw, shouldWaitForTick) => {
      const budget = budgets.getStore();
      return objStm(budget ? decodedWithin(lib, raw, budget) : raw, shouldWaitForTick);
    };
    const xref = lib.PDFXRefStreamParser.forStream.bind(lib.PDFXRefStreamParser);
    lib.PDFXRefStreamParser.forStream = (raw) => {
      const budget = budgets.getStore();
      return xref(budget ? decodedWithin(lib, raw, budget) : raw);
    };
    return lib;
  });
  return installed;
}

export const pdfStreamsTooLarge = (max: number): HandoverError =>
  new HandoverError('PDF_STREAMS_TOO_LARGE', EXIT.invalid, {
    key: 'letter.PDF_STREAMS_TOO_LARGE',
    vars: { max },
  });

/**
 * Loads an untrusted PDF; its object and cross-reference streams together inflate to at most
 * `maxBytes`, else PDF_STREAMS_TOO_LARGE (exit 1). Other errors are pdf-lib's own.
 */
export async function loadPdfBounded(bytes: Uint8Array, maxBytes: number): Promise<PDFDocument> {
  const lib = await install();
  const budget: Budget = { left: maxBytes, max: maxBytes, exceeded: false };
  let doc: PDFDocument;
  try {
    doc = await budgets.run(budget, () =>
      lib.PDFDocument.load(bytes, { updateMetadata: false, ignoreEncryption: false }),
    );
  } catch (e) {
    if (budget.exceeded) throw pdfStreamsTooLarge(maxBytes);
    throw e;
  }
  if (budget.exceeded) throw pdfStreamsTooLarge(maxBytes);
  return doc;
}
