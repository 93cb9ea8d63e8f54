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

/**
 * A receipt is named from its own id (SPEC §8), never from the handover it answers: the
 * handover id is chosen by whoever sent the file, so a hostile sender could otherwise take
 * the name of a genuine handover's receipt in advance.
 */
export const receiptFileName = (at: Date, receiptId: string): string =>
  documentFileName(at, receiptId, 'receipt');

/**
 * The n-th candidate for a file name when the earlier ones are taken (n = 1 is the name
 * itself): `<stem>-<n>.<suffix>.json`. A collision takes the next free name, never fails.
 */
export const nthFreeName = (name: string, n: number): string => {
  if (n <= 1) return name;
  const dot = name.indexOf('.');
  return dot < 0 ? `${name}-${n}` : `${name.slice(0, dot)}-${n}${name.slice(dot)}`;
};

export type Container = 'pdf' | 'p7m' | 'json';

/**
 * What a file's bytes are. JSON first (a document may well mention "%PDF-" in its notes); a
 * PDF's header may follow up to 1024 bytes of junk, as PDF readers allow; a CMS `.p7m` by its
 * name or a DER SEQUENCE with a long length.
 */
export function sniffContainer(bytes: Uint8Array, name = ''): Container {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (
    i < bytes.length &&
    (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)
  )
    i++;
  if (bytes[i] === 0x7b || bytes[i] === 0x5b) return 'json';
  if (Buffer.from(bytes.subarray(0, 1024)).toString('latin1').includes('%PDF-')) return 'pdf';
  if (name.toLowerCase().endsWith('.p7m') || (bytes[0] === 0x30 && (bytes[1] ?? 0) >= 0x80)) return 'p7m';
  return 'json';
}
