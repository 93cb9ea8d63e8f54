/**
 * Reading the files attached to a PDF (the handover file inside a cover letter), in the order
 * of the catalog's /AF, then the EmbeddedFiles name tree. Works on any PDF, ours or not.
 *
 * A PDF is hostile input: a 1 MB file can hold a Flate stream that inflates to 1 GiB and
 * name it from many file specifications. So nothing is decoded while listing; `read()`
 * decodes one attachment, inflating at most `maxBytes` (SPEC §10: the same cap as
 * --max-size), and only the filters a handover attachment uses (none, or Flate without
 * predictor) are read at all. The streams pdf-lib inflates while loading share one more such
 * cap (pdf-load.ts).
 */
import { inflateSync } from 'node:zlib';
import type { PDFDict, PDFDocument, PDFRawStream } from 'pdf-lib';
import { EXIT, HandoverError } from '../core/errors.js';
import { loadPdfBounded } from './pdf-load.js';

export interface AttachedFile {
  name: string;
  mimeType?: string;
  relationship?: string;
  /** The decoded bytes; FILE_TOO_LARGE beyond the cap, PDF_ATTACHMENT_UNREADABLE for another filter. */
  read: () => Uint8Array;
}

export const DEFAULT_ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024;

const tooLarge = (max: number, cause?: unknown): HandoverError =>
  new HandoverError('FILE_TOO_LARGE', EXIT.invalid, {
    key: 'letter.PDF_ATTACHMENT_TOO_LARGE',
    vars: { max },
    cause,
  });

function decodeCapped(lib: PdfLib, stream: PDFRawStream, max: number): Uint8Array {
  const { PDFName, PDFArray } = lib;
  let filter = stream.dict.lookup(PDFName.of('Filter'));
  if (filter instanceof PDFArray && filter.size() === 1) filter = filter.lookup(0);
  const parms = stream.dict.lookup(PDFName.of('DecodeParms'));
  if (filter === undefined) {
    if (stream.contents.length > max) throw tooLarge(max);
    return stream.contents;
  }
  if (filter instanceof PDFName && filter.decodeText() === 'FlateDecode' && parms === undefined) {
    try {
      return inflateSync(stream.contents, { maxOutputLength: max });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(max, e);
      throw new HandoverError('PDF_ATTACHMENT_UNREADABLE', EXIT.invalid, {
        key: 'letter.PDF_ATTACHMENT_UNREADABLE',
        cause: e,
      });
    }
  }
  throw new HandoverError('PDF_ATTACHMENT_UNREADABLE', EXIT.invalid, {
    key: 'letter.PDF_ATTACHMENT_UNREADABLE',
  });
}

type PdfLib = typeof import('pdf-lib');

function fileOf(lib: PdfLib, spec: PDFDict, max: number): AttachedFile | undefined {
  const { PDFName, PDFString, PDFHexString, PDFRawStream, PDFDict: Dict } = lib;
  const ef = spec.lookupMaybe(PDFName.of('EF'), Dict);
  const stream = ef?.lookup(PDFName.of('F')) ?? ef?.lookup(PDFName.of('UF'));
  if (!(stream instanceof PDFRawStream)) return undefined;
  const nameObj = spec.lookup(PDFName.of('UF')) ?? spec.lookup(PDFName.of('F'));
  const name =
    nameObj instanceof PDFString || nameObj instanceof PDFHexString ? nameObj.decodeText() : 'attachment';
  const subtype = stream.dict.lookup(PDFName.of('Subtype'));
  const rel = spec.lookup(PDFName.of('AFRelationship'));
  return {
    name,
    ...(subtype instanceof PDFName ? { mimeType: subtype.decodeText() } : {}),
    ...(rel instanceof PDFName ? { relationship: rel.decodeText() } : {}),
    read: () => decodeCapped(lib, stream, max),
  };
}

export async function attachedFiles(
  pdfBytes: Uint8Array,
  opts: { maxBytes?: number } = {},
): Promise<AttachedFile[]> {
  const max = opts.maxBytes ?? DEFAULT_ATTACHMENT_MAX_BYTES;
  const lib = await import('pdf-lib');
  const doc: PDFDocument = await loadPdfBounded(pdfBytes, max);
  const { PDFName, PDFArray, PDFDict } = lib;
  const specs: PDFDict[] = [];
  const af = doc.catalog.lookupMaybe(PDFName.of('AF'), PDFArray);
  for (let i = 0; af && i < af.size(); i++) {
    const s = af.lookup(i);
    if (s instanceof PDFDict) specs.push(s);
  }
  const tree = doc.catalog
    .lookupMaybe(PDFName.of('Names'), PDFDict)
    ?.lookupMaybe(PDFName.of('EmbeddedFiles'), PDFDict);
  // A flat name tree (what we and most producers write); kids are followed one level deep.
  const leaves = [tree, ...(tree ? kidsOf(lib, tree) : [])];
  for (const leaf of leaves) {
    const names = leaf?.lookupMaybe(PDFName.of('Names'), PDFArray);
    for (let i = 1; names && i < names.size(); i += 2) {
      const s = names.lookup(i);
      if (s instanceof PDFDict && !specs.includes(s)) specs.push(s);
    }
  }
  return specs.map((s) => fileOf(lib, s, max)).filter((f): f is AttachedFile => f !== undefined);
}

function kidsOf(lib: PdfLib, node: PDFDict): PDFDict[] {
  const kids = node.lookupMaybe(lib.PDFName.of('Kids'), lib.PDFArray);
  const out: PDFDict[] = [];
  for (let i = 0; kids && i < kids.size(); i++) {
    const k = kids.lookup(i);
    if (k instanceof lib.PDFDict) out.push(k);
  }
  return out;
}
