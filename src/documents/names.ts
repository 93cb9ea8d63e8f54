/**
 * What a document file is called and what a file holds. Names carry no personal data
 * (SPEC §4, §8): `<yyyymmdd>-<first 8 hex of an id>.<kind>.<ext>`, the date in Finland.
 */
import { compactHelsinkiDate } from '../domain/dates.js';

export type DocumentSuffix = 'handover' | 'receipt' | 'withdrawal';

/** `<yyyymmdd>-<first 8 of id>`: the stem of every file made from one document. */
export const fileStem = (id: string, at: Date): string =>
  `${compactHelsinkiDate(at)}-${id.slice(0, 8).toLowerCase()}`;

/** The stem of the files made from a handover: dated by its createdAt. */
export const handoverStem = (doc: { id: string; createdAt: string }): string =>
  fileStem(doc.id, new Date(doc.createdAt));

/** `<stem>.<suffix>.json`. */
export const documentFileName = (at: Date, id: string, suffix: DocumentSuffix): string =>
  `${fileStem(id, at)}.${suffix}.json`;

export type Container = 'pdf' | 'p7m' | 'json';

/**
 * What a file's bytes are: a PDF (its header may follow up to 1024 bytes of junk, as
 * readers allow), a CMS `.p7m` (by name, or a DER SEQUENCE with a long length), else JSON.
 */
export function sniffContainer(bytes: Uint8Array, name = ''): Container {
  if (Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-')) return 'pdf';
  if (name.toLowerCase().endsWith('.p7m') || (bytes[0] === 0x30 && (bytes[1] ?? 0) >= 0x80)) return 'p7m';
  return 'json';
}
