/**
 * Reading the files attached to a PDF (the handover file inside a cover letter), in the order
 * of the catalog's /AF, then the EmbeddedFiles name tree. Works on any PDF, ours or not.
 */
import type { PDFDict, PDFDocument } from 'pdf-lib';

export interface AttachedFile {
  name: string;
  mimeType?: string;
  relationship?: string;
  bytes: Uint8Array;
}

type PdfLib = typeof import('pdf-lib');

function fileOf(lib: PdfLib, spec: PDFDict): AttachedFile | undefined {
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
    bytes: lib.decodePDFRawStream(stream).decode(),
  };
}

export async function attachedFiles(pdfBytes: Uint8Array): Promise<AttachedFile[]> {
  const lib = await import('pdf-lib');
  const doc: PDFDocument = await lib.PDFDocument.load(pdfBytes, {
    updateMetadata: false,
    ignoreEncryption: false,
  });
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
  return specs.map((s) => fileOf(lib, s)).filter((f): f is AttachedFile => f !== undefined);
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
