/**
 * A PDF object-stream bomb as an attacker writes it, byte by byte (issue 22.1): a small valid
 * PDF whose cross-reference stream points into an object stream (/Type /ObjStm, Flate) that
 * inflates to `inflated` bytes of spaces. With a signer, the file carries a PDF signature made
 * by `openssl cms -sign` over its byte range, so that `verify` gets past the signature check
 * and loads the document as it would a genuine letter.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDeflate } from 'node:zlib';

/**
 * Deflates `head` and then `size` bytes of one value in 1 MiB chunks: the bomb is built
 * without holding it.
 */
export async function deflatedFill(size: number, fill = 0x20, head = Buffer.alloc(0)): Promise<Buffer> {
  const z = createDeflate({ level: 9 });
  const out: Buffer[] = [];
  z.on('data', (d: Buffer) => out.push(d));
  z.write(head);
  const chunk = Buffer.alloc(1 << 20, fill);
  for (let done = 0; done < size; done += chunk.length)
    if (!z.write(chunk.subarray(0, Math.min(chunk.length, size - done))))
      await new Promise((r) => z.once('drain', r));
  // 'end' (not end's callback) comes after the last 'data'.
  const ended = new Promise((r) => z.once('end', r));
  z.end();
  await ended;
  return Buffer.concat(out);
}

const SIG_HEX = 16_384;
const PLACEHOLDER = `[0 ${'0'.repeat(10)} ${'0'.repeat(10)} ${'0'.repeat(10)}]`;

/**
 * The bomb. `signer`: PEM paths of a key and certificate that sign it (any key: the CMS only
 * has to verify for the file to be loaded); `dir` holds openssl's temporary files.
 */
export async function objStmBomb(
  inflated: number,
  signer?: { keyPath: string; certPath: string; dir: string },
): Promise<Buffer> {
  const inner = Buffer.from('7 0 << /Producer (handover bomb test) >>');
  // The object stream's header ("7 0") and its one object, then the spaces.
  const head = await deflatedFill(inflated - inner.length, 0x20, inner);
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let size = 0;
  const push = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    size += buf.length;
  };
  const obj = (n: number, body: Buffer | string) => {
    offsets[n] = size;
    push(`${n} 0 obj\n`);
    push(body);
    push('\nendobj\n');
  };
  push('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
  const annots = signer ? ' /Annots [5 0 R]' : '';
  const acro = signer ? ' /AcroForm << /Fields [5 0 R] /SigFlags 3 >>' : '';
  obj(1, `<< /Type /Catalog /Pages 2 0 R${acro} >>`);
  obj(2, '<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  obj(3, `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842]${annots} >>`);
  obj(
    4,
    Buffer.concat([
      Buffer.from(
        `<< /Type /ObjStm /N 1 /First ${inner.indexOf('<<')} /Filter /FlateDecode /Length ${head.length} >>\nstream\n`,
      ),
      head,
      Buffer.from('\nendstream'),
    ]),
  );
  let sigAt = -1;
  if (signer) {
    obj(5, '<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /P 3 0 R /T (Signature1) /V 6 0 R >>');
    offsets[6] = size;
    push('6 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange ');
    sigAt = size;
    push(`${PLACEHOLDER} /Contents <`);
    push('0'.repeat(SIG_HEX));
    push('> /M (D:20260301120000Z) >>\nendobj\n');
  }
  // A cross-reference stream (W 1 4 2), so that object 7 lives in the object stream 4.
  const count = 9;
  const rows = Buffer.alloc(count * 7);
  const row = (n: number, type: number, a: number, b: number) => {
    rows.writeUInt8(type, n * 7);
    rows.writeUInt32BE(a, n * 7 + 1);
    rows.writeUInt16BE(b, n * 7 + 5);
  };
  row(0, 0, 0, 0xffff);
  for (let n = 1; n <= 6; n++) if (offsets[n] !== undefined) row(n, 1, offsets[n]!, 0);
  row(7, 2, 4, 0);
  const xrefAt = size;
  row(8, 1, xrefAt, 0);
  obj(
    8,
    Buffer.concat([
      Buffer.from(
        `<< /Type /XRef /Size 9 /W [1 4 2] /Index [0 9] /Root 1 0 R /Info 7 0 R /Length ${rows.length} >>\nstream\n`,
      ),
      rows,
      Buffer.from('\nendstream'),
    ]),
  );
  push(`startxref\n${xrefAt}\n%%EOF\n`);
  const pdf = Buffer.concat(parts);
  if (!signer) return pdf;
  // The byte range: everything but the hex string of /Contents.
  const open = pdf.indexOf('/Contents <', sigAt) + '/Contents '.length;
  const close = open + 1 + SIG_HEX + 1;
  pdf.write(`[0 ${open} ${close} ${pdf.length - close}]`.padEnd(PLACEHOLDER.length, ' '), sigAt, 'latin1');
  const signed = Buffer.concat([pdf.subarray(0, open), pdf.subarray(close)]);
  const content = join(signer.dir, 'bomb-signed-bytes');
  writeFileSync(content, signed);
  const cms = execFileSync(
    'openssl',
    [
      'cms',
      '-sign',
      '-binary',
      '-outform',
      'DER',
      '-md',
      'sha256',
      '-in',
      content,
      '-signer',
      signer.certPath,
      '-inkey',
      signer.keyPath,
    ],
    { stdio: ['pipe', 'pipe', 'pipe'], maxBuffer: 64 << 20 },
  );
  const hex = cms.toString('hex');
  if (hex.length > SIG_HEX) throw new Error('the CMS does not fit the placeholder');
  pdf.write(hex, open + 1, 'latin1');
  return pdf;
}
