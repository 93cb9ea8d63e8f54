/**
 * A minimal DER reader for the few certificate and CRL fields that node:crypto does not expose
 * (organizationIdentifier, pathLenConstraint, keyUsage bits, CRL distribution points, CRLs).
 * It reads, it never trusts: every length is checked against its parent, so a hostile
 * certificate in x5c can only make it throw, which callers turn into "cannot be read".
 */

export interface Tlv {
  tag: number;
  /** Offset of the tag byte, of the contents, and one past the end. */
  start: number;
  body: number;
  end: number;
}

export class DerError extends Error {}

export function readTlv(b: Uint8Array, off: number, limit = b.length): Tlv {
  if (off + 2 > limit) throw new DerError('truncated');
  const tag = b[off]!;
  // Multi-byte tags never occur in the structures we read.
  if ((tag & 0x1f) === 0x1f) throw new DerError('tag');
  let len = b[off + 1]!;
  let body = off + 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || body + n > limit) throw new DerError('length');
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + b[body + i]!;
    body += n;
  }
  const end = body + len;
  if (end > limit) throw new DerError('length');
  return { tag, start: off, body, end };
}

export function children(b: Uint8Array, t: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let off = t.body; off < t.end; ) {
    const c = readTlv(b, off, t.end);
    out.push(c);
    off = c.end;
  }
  return out;
}

export const bytesOf = (b: Uint8Array, t: Tlv): Buffer => Buffer.from(b.subarray(t.body, t.end));
export const rawOf = (b: Uint8Array, t: Tlv): Buffer => Buffer.from(b.subarray(t.start, t.end));

export function oidOf(b: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x06) throw new DerError('oid');
  const parts: number[] = [];
  let v = 0;
  for (let i = t.body; i < t.end; i++) {
    v = v * 128 + (b[i]! & 0x7f);
    if (!(b[i]! & 0x80)) {
      parts.push(v);
      v = 0;
    }
  }
  const first = parts.shift() ?? 0;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...parts].join('.');
}

/** UTCTime or GeneralizedTime. */
export function timeOf(b: Uint8Array, t: Tlv): Date {
  const s = Buffer.from(b.subarray(t.body, t.end)).toString('latin1');
  const m =
    t.tag === 0x17
      ? /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/.exec(s)
      : t.tag === 0x18
        ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(s)
        : null;
  if (!m) throw new DerError('time');
  let year = Number(m[1]);
  if (t.tag === 0x17) year += year < 50 ? 2000 : 1900;
  return new Date(Date.UTC(year, Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])));
}

/** A string value of a name attribute (UTF8String, PrintableString, IA5String, BMPString). */
export function stringOf(b: Uint8Array, t: Tlv): string | undefined {
  const raw = Buffer.from(b.subarray(t.body, t.end));
  if (t.tag === 0x0c || t.tag === 0x13 || t.tag === 0x16)
    return raw.toString(t.tag === 0x0c ? 'utf8' : 'latin1');
  if (t.tag === 0x1e && raw.length % 2 === 0) return raw.swap16().toString('utf16le');
  return undefined;
}

/** An INTEGER's magnitude as upper-case hex without leading zeros (as node prints serials). */
export function intHex(b: Uint8Array, t: Tlv): string {
  if (t.tag !== 0x02) throw new DerError('integer');
  return Buffer.from(b.subarray(t.body, t.end))
    .toString('hex')
    .replace(/^(00)+(?=.)/, '')
    .toUpperCase();
}

/** DER writing, for the few structures we send (an RFC 3161 request). */
function lengthBytes(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}
export const tlv = (tag: number, ...parts: Buffer[]): Buffer => {
  const body = Buffer.concat(parts);
  return Buffer.concat([Buffer.from([tag]), lengthBytes(body.length), body]);
};
export const seq = (...parts: Buffer[]): Buffer => tlv(0x30, ...parts);
export function encodeOid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number);
  const out = [40 * (a ?? 0) + (b ?? 0)];
  for (const n of rest) {
    const chunk = [n & 0x7f];
    for (let v = Math.floor(n / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift(0x80 | (v & 0x7f));
    out.push(...chunk);
  }
  return tlv(0x06, Buffer.from(out));
}
/** A non-negative INTEGER from its big-endian magnitude. */
export const encodeUint = (magnitude: Buffer): Buffer =>
  tlv(
    0x02,
    magnitude.length === 0 || (magnitude[0]! & 0x80) !== 0
      ? Buffer.concat([Buffer.from([0]), magnitude])
      : magnitude,
  );
