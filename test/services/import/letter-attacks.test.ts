/**
 * Issue 22, items 3 and 14: `import` judges a cover letter's own PDF signature as `verify`
 * does, and takes the handover from the revision the sender signed. The four attacks are built
 * as an attacker builds them: incremental updates appended as raw bytes (new page text; the
 * attachment swapped for another of the sender's handovers), a CMS of another organisation
 * made with `openssl cms -sign` over the same byte range, and the signature dictionary removed
 * with pdf-lib. Each is refused with its code and answered with a signed *rejected* receipt
 * for the handover of the signed revision (SPEC §8: the sender signed it and is told that the
 * letter did not arrive as signed). A sealed letter (.pdf.p7m, by our `seal` and by openssl
 * with OAEP) is imported like the letter itself.
 */

import { execFileSync } from 'node:child_process';
import { createHash, createPrivateKey } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFArray, PDFDict, PDFDocument, PDFName, PDFRef } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { seal } from '../../../src/documents/seal.js';
import { loadPrivateKeyDer } from '../../../src/keystore/index.js';
import { openRegister } from '../../../src/register/index.js';
import { importFiles } from '../../../src/services/import/index.js';
import { writeLetter } from '../../../src/services/letter.js';
import { verifyFile } from '../../../src/services/verify.js';
import { tempDir } from '../../helpers/cli.js';
import { as, handover, makeOrg, type Org, sendFile, trustEachOther } from '../../register/orgs.js';

let A: Org;
let B: Org;
let C: Org;
let work: string;

beforeAll(async () => {
  A = await makeOrg('Pirkanmaan hyvinvointialue', '1572860-0', '837');
  B = await makeOrg('Pohjanmaan hyvinvointialue', '0166906-4', '905');
  C = await makeOrg('Kolmas osapuoli', '2082259-7', '091');
  await trustEachOther(A, B);
  await trustEachOther(B, C);
  work = tempDir('handover-letter-attacks-');
}, 120_000);

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

/** A handover of A's to B, signed, and A's signed cover letter carrying it. */
async function genuine(): Promise<{ id: string; json: Buffer; pdf: Buffer; path: string }> {
  const doc = handover(A, B);
  const file = await sendFile(A, doc);
  const letter = await as(A, () => writeLetter({ file, lang: 'fi', outDir: tempDir() }));
  const path = letter.files.find((f) => f.kind === 'cover-letter')!.path;
  return { id: doc.id, json: readFileSync(file), pdf: readFileSync(path), path };
}

const write = (name: string, bytes: Uint8Array): string => {
  const p = join(work, name);
  writeFileSync(p, bytes);
  return p;
};

/** Appends an incremental update that redefines (or adds) objects, with its xref and trailer. */
function incrementalUpdate(pdf: Buffer, objects: { num: number; body: Buffer }[]): Buffer {
  const text = pdf.toString('latin1');
  const prev = Number([...text.matchAll(/startxref\s+(\d+)/g)].at(-1)![1]);
  const trailer = [...text.matchAll(/trailer\s*<<([\s\S]*?)>>\s*startxref/g)].at(-1)![1]!;
  const root = /\/Root\s+(\d+ \d+ R)/.exec(trailer)![1];
  const size = Number(/\/Size\s+(\d+)/.exec(trailer)![1]);
  const parts: Buffer[] = [pdf, Buffer.from('\n')];
  let at = pdf.length + 1;
  const offsets = new Map<number, number>();
  for (const o of objects) {
    offsets.set(o.num, at);
    const chunk = Buffer.concat([Buffer.from(`${o.num} 0 obj\n`), o.body, Buffer.from('\nendobj\n')]);
    parts.push(chunk);
    at += chunk.length;
  }
  let xref = 'xref\n';
  for (const [num, off] of [...offsets].sort((x, y) => x[0] - y[0]))
    xref += `${num} 1\n${String(off).padStart(10, '0')} 00000 n \n`;
  const newSize = Math.max(size, ...objects.map((o) => o.num + 1));
  xref += `trailer\n<< /Size ${newSize} /Root ${root} /Prev ${prev} >>\nstartxref\n${at}\n%%EOF\n`;
  parts.push(Buffer.from(xref));
  return Buffer.concat(parts);
}

const stream = (dict: string, data: Buffer) =>
  Buffer.concat([
    Buffer.from(`<< ${dict} /Length ${data.length} >>\nstream\n`),
    data,
    Buffer.from('\nendstream'),
  ]);

/** Attack 1: page 1 redrawn with the attacker's text, in an update after the signature. */
async function shadowText(pdf: Buffer): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const page = doc.getPages()[0]!;
  const parent = page.node.get(PDFName.of('Parent')) as PDFRef;
  const [, , w, h] = page.node.lookup(PDFName.of('MediaBox'), PDFArray).asArray().map(String);
  const next = doc.context.largestObjectNumber + 1;
  const content = Buffer.from('BT /F1 18 Tf 60 700 Td (Invoice to IBAN FI00 6666 6666 6666 66) Tj ET');
  return incrementalUpdate(pdf, [
    { num: next, body: stream('', content) },
    { num: next + 1, body: Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>') },
    {
      num: page.ref.objectNumber,
      body: Buffer.from(
        `<< /Type /Page /Parent ${parent.objectNumber} 0 R /MediaBox [0 0 ${w} ${h}] /Resources << /Font << /F1 ${next + 1} 0 R >> >> /Contents ${next} 0 R >>`,
      ),
    },
  ]);
}

/** Attack 2: the attached file's stream redefined as another handover of the same sender. */
async function swappedAttachment(pdf: Buffer, other: Buffer): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const spec = doc.catalog.lookup(PDFName.of('AF'), PDFArray).lookup(0, PDFDict);
  const ref = spec.lookup(PDFName.of('EF'), PDFDict).get(PDFName.of('F')) as PDFRef;
  return incrementalUpdate(pdf, [
    { num: ref.objectNumber, body: stream('/Type /EmbeddedFile /Subtype /application#2Fjson', other) },
  ]);
}

/** The organisation's key as a PEM file for openssl, as the attacker holds its own key. */
async function keyFile(org: Org): Promise<string> {
  const der = await as(org, () => loadPrivateKeyDer());
  return write(
    `${org.businessId}.key.pem`,
    Buffer.from(
      createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
        .export({ type: 'pkcs8', format: 'pem' })
        .toString(),
    ),
  );
}

/** Attack 3: C's own CMS (openssl, CAdES attributes) over the same byte range. */
async function otherCms(pdf: Buffer): Promise<Buffer> {
  const text = pdf.toString('latin1');
  const [b, c, d] = /\/ByteRange\s*\[\s*0\s+(\d+)\s+(\d+)\s+(\d+)\s*\]/.exec(text)!.slice(1).map(Number) as [
    number,
    number,
    number,
  ];
  const signed = write('signed-range.bin', Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]));
  const cert = write('c.cert.pem', Buffer.from(C.certPem));
  const cms = execFileSync('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-cades',
    '-md',
    'sha256',
    '-outform',
    'DER',
    '-in',
    signed,
    '-signer',
    cert,
    '-inkey',
    await keyFile(C),
  ]);
  const hex = cms.toString('hex');
  const room = c - b - 2;
  expect(hex.length).toBeLessThanOrEqual(room);
  const out = Buffer.from(pdf);
  out.write(hex.padEnd(room, '0'), b + 1, 'latin1');
  return out;
}

/**
 * Attack 3b: the attachment swapped, then the whole changed file signed by C in a revision of
 * its own (a second signature dictionary, its CMS over everything by openssl).
 */
async function countersigned(pdf: Buffer, other: Buffer): Promise<Buffer> {
  const swapped = await swappedAttachment(pdf, other);
  const doc = await PDFDocument.load(swapped, { updateMetadata: false });
  const num = doc.context.largestObjectNumber + 1;
  const placeholder = `[0 ${'0'.repeat(10)} ${'0'.repeat(10)} ${'0'.repeat(10)}]`;
  const hexRoom = 16_384;
  // A second signature field, so that viewers list it: the form redefined with one more field.
  const form = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).clone();
  const fields = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict).lookup(PDFName.of('Fields'), PDFArray);
  form.set(PDFName.of('Fields'), doc.context.obj([...fields.asArray(), PDFRef.of(num + 1)]));
  const formRef = doc.catalog.get(PDFName.of('AcroForm'));
  const catalog = doc.catalog.clone();
  catalog.set(PDFName.of('AcroForm'), form);
  const page = doc.getPages()[0]!.ref;
  const file = incrementalUpdate(swapped, [
    formRef instanceof PDFRef
      ? { num: formRef.objectNumber, body: Buffer.from(form.toString()) }
      : { num: (doc.context.trailerInfo.Root as PDFRef).objectNumber, body: Buffer.from(catalog.toString()) },
    {
      num,
      body: Buffer.from(
        `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /M (D:20260301120000Z) /ByteRange ${placeholder} /Contents <${'0'.repeat(hexRoom)}> >>`,
      ),
    },
    {
      num: num + 1,
      body: Buffer.from(
        `<< /Type /Annot /Subtype /Widget /FT /Sig /Rect [0 0 0 0] /F 132 /T (Signature2) /V ${num} 0 R /P ${page.objectNumber} 0 R >>`,
      ),
    },
  ]);
  const sigAt = file.lastIndexOf('/ByteRange ') + '/ByteRange '.length;
  const b = file.indexOf('/Contents <', sigAt) + '/Contents '.length;
  const c = b + hexRoom + 2;
  file.write(`[0 ${b} ${c} ${file.length - c}]`.padEnd(placeholder.length, ' '), sigAt, 'latin1');
  const signed = write('countersigned-range.bin', Buffer.concat([file.subarray(0, b), file.subarray(c)]));
  const cms = execFileSync('openssl', [
    'cms',
    '-sign',
    '-binary',
    '-md',
    'sha256',
    '-outform',
    'DER',
    '-in',
    signed,
    '-signer',
    write('c2.cert.pem', Buffer.from(C.certPem)),
    '-inkey',
    await keyFile(C),
  ]);
  file.write(cms.toString('hex'), b + 1, 'latin1');
  return file;
}

/** Attack 4: the signature field and dictionary removed, the rest saved again. */
async function unsigned(pdf: Buffer): Promise<Buffer> {
  const doc = await PDFDocument.load(pdf, { updateMetadata: false });
  const form = doc.catalog.lookup(PDFName.of('AcroForm'), PDFDict);
  const fields = form.lookup(PDFName.of('Fields'), PDFArray);
  for (const f of fields.asArray()) {
    const widget = doc.context.lookup(f as PDFRef, PDFDict);
    const v = widget.get(PDFName.of('V'));
    if (v instanceof PDFRef) doc.context.delete(v);
    doc.context.delete(f as PDFRef);
  }
  doc.catalog.delete(PDFName.of('AcroForm'));
  for (const page of doc.getPages()) page.node.delete(PDFName.of('Annots'));
  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

const rules = (r: Awaited<ReturnType<typeof importFiles>>) => r.files[0]!.findings.map((f) => f.rule);
const registered = (id: string) =>
  as(B, async () => {
    const reg = await openRegister();
    try {
      return await reg.getHandover(id, 'received');
    } finally {
      await reg.close();
    }
  });

async function importAsB(file: string) {
  const out = tempDir('handover-letter-attacks-out-');
  return as(B, () => importFiles({ files: [file], lang: 'en', out }));
}

describe('import judges the letter own PDF signature (issue 22.3)', () => {
  it.each([
    ['new page text in a revision after the signature', 'SIGNATURE_INVALID', shadowText],
    ['another organisation CMS over the same byte range', 'SIGNER_NOT_SENDER', otherCms],
    ['the signature dictionary removed', 'SIGNATURE_MISSING', unsigned],
  ] as const)('refuses %s: %s, a rejected receipt for the signed handover', async (name, code, attack) => {
    const g = await genuine();
    const file = write(`${name.replaceAll(' ', '-')}.pdf`, await attack(g.pdf));
    // verify refuses it too: the same checks.
    const v = await as(B, () => verifyFile({ file }));
    expect(v).toMatchObject({ ok: false, code });
    const r = await importAsB(file);
    expect(r.exit).toBe(1);
    expect(r.files[0]).toMatchObject({ kind: 'handover', outcome: 'rejected', handoverId: g.id });
    expect(rules(r)).toEqual([code]);
    const receipt = JSON.parse(readFileSync(r.files[0]!.receiptFile!, 'utf8'));
    expect(receipt).toMatchObject({
      outcome: 'rejected',
      handoverId: g.id,
      handoverSha256: sha(g.json),
      reasons: [{ rule: code, pointer: '' }],
    });
    expect((await registered(g.id))?.status).toBe('rejected');
  });

  it('the shadow text is real: pdftotext shows it, and the refusal names the later revision', async () => {
    const g = await genuine();
    const file = write('shadow.pdf', await shadowText(g.pdf));
    expect(execFileSync('pdftotext', ['-l', '1', file, '-'], { encoding: 'utf8' })).toContain('FI00 6666');
    const r = await importAsB(file);
    expect(r.files[0]!.findings[0]!.message).toContain('changed after it was signed');
    // One byte changed inside the signed range: the reason in words, not a code.
    const h = await genuine();
    const b = Number(/\/ByteRange\s*\[0 (\d+)/.exec(h.pdf.toString('latin1'))![1]);
    const changed = Buffer.from(h.pdf);
    changed[Math.floor(b / 2)] = (changed[Math.floor(b / 2)] ?? 0) ^ 0x01;
    const d = await importAsB(write('changed-byte.pdf', changed));
    expect(rules(d)).toContain('SIGNATURE_INVALID');
    expect(d.files[0]!.findings[0]!.message).toContain('do not match the signed digest');
  });

  it('a swapped attachment is not taken in: the receipt answers the signed handover, the swapped one stays unknown', async () => {
    const g = await genuine();
    const other = handover(A, B);
    const otherJson = readFileSync(await sendFile(A, other));
    const file = write('swapped.pdf', await swappedAttachment(g.pdf, otherJson));
    // The attack is real: the file as a whole carries the other handover.
    const detached = join(work, 'detached.json');
    execFileSync('pdfdetach', ['-save', '1', '-o', detached, file]);
    expect(readFileSync(detached).equals(otherJson)).toBe(true);
    const r = await importAsB(file);
    expect(r.exit).toBe(1);
    expect(rules(r)).toEqual(['SIGNATURE_INVALID']);
    expect(r.files[0]).toMatchObject({ handoverId: g.id, sha256: sha(g.json) });
    expect(JSON.parse(readFileSync(r.files[0]!.receiptFile!, 'utf8'))).toMatchObject({
      handoverId: g.id,
      outcome: 'rejected',
    });
    expect(await registered(other.id)).toBeUndefined();
  });

  it("a second signature by another organisation over a changed file does not take the sender's place", async () => {
    const g = await genuine();
    const other = handover(A, B);
    const otherJson = readFileSync(await sendFile(A, other));
    const file = write('countersigned.pdf', await countersigned(g.pdf, otherJson));
    // The attack is real: poppler sees two signatures, the last one valid over the whole file.
    const sigs = execFileSync('pdfsig', [file], { encoding: 'utf8' });
    expect(sigs).toContain('Signature #2');
    expect(sigs).toMatch(/Signature #2[\s\S]*Total document signed[\s\S]*Signature is Valid/);
    const r = await importAsB(file);
    expect(r.exit).toBe(1);
    expect(rules(r)).toEqual(['SIGNATURE_INVALID']);
    expect(r.files[0]).toMatchObject({ handoverId: g.id, sha256: sha(g.json) });
    expect(await registered(other.id)).toBeUndefined();
    expect(await as(B, () => verifyFile({ file }))).toMatchObject({ ok: false, reason: 'later-revision' });
  });

  it('a forged letter around a handover accepted before is refused, not a duplicate; the row stays accepted', async () => {
    const g = await genuine();
    expect((await importAsB(g.path)).files[0]).toMatchObject({ outcome: 'accepted' });
    const r = await importAsB(write('after.pdf', await shadowText(g.pdf)));
    expect(r.exit).toBe(1);
    expect(r.files[0]).toMatchObject({ outcome: 'rejected' });
    expect(rules(r)).toEqual(['SIGNATURE_INVALID']);
    expect((await registered(g.id))?.status).toBe('accepted');
  });
});

describe('a genuine letter from a partner not yet trusted', () => {
  it('is reported once as SIGNATURE_UNTRUSTED, not once for the letter and once for the handover', async () => {
    const D = await makeOrg('Luottamaton hyvinvointialue', '0201256-6', '092');
    const doc = handover(D, B);
    const file = await sendFile(D, doc);
    const letter = await as(D, () => writeLetter({ file, lang: 'fi', outDir: tempDir() }));
    const r = await importAsB(letter.files.find((f) => f.kind === 'cover-letter')!.path);
    expect(r.exit).toBe(1);
    expect(rules(r)).toEqual(['SIGNATURE_UNTRUSTED']);
  });
});

describe('a sealed cover letter (issue 22.14)', () => {
  it('sealed with our seal: imported as the letter itself', async () => {
    const g = await genuine();
    const certB = write('b.cert.pem', Buffer.from(B.certPem));
    const sealed = await as(A, () => seal({ files: [g.path], to: certB, outDir: tempDir() }));
    const r = await importAsB(sealed.files[0]!.output);
    expect(r.exit).toBe(0);
    expect(r.files[0]).toMatchObject({
      kind: 'handover',
      outcome: 'accepted',
      handoverId: g.id,
      sha256: sha(g.json),
    });
  });

  it('sealed with openssl cms -encrypt (RSA-OAEP): imported; a sealed forgery is refused alike', async () => {
    const certB = write('b2.cert.pem', Buffer.from(B.certPem));
    const sealWithOpenssl = (pdf: string) => {
      execFileSync('openssl', [
        'cms',
        '-encrypt',
        '-binary',
        '-aes256',
        '-in',
        pdf,
        '-out',
        `${pdf}.p7m`,
        '-outform',
        'DER',
        '-recip',
        certB,
        '-keyopt',
        'rsa_padding_mode:oaep',
        '-keyopt',
        'rsa_oaep_md:sha256',
      ]);
      return `${pdf}.p7m`;
    };
    const g = await genuine();
    const ok = await importAsB(sealWithOpenssl(write('sealed-genuine.pdf', g.pdf)));
    expect(ok.files[0]).toMatchObject({ kind: 'handover', outcome: 'accepted', handoverId: g.id });
    const h = await genuine();
    const bad = await importAsB(sealWithOpenssl(write('sealed-forged.pdf', await unsigned(h.pdf))));
    expect(bad.exit).toBe(1);
    expect(rules(bad)).toEqual(['SIGNATURE_MISSING']);
  });
});
