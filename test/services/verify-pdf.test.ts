import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { extractAttachedHandover, verifyPdf, verifyPdfBytes } from '../../src/documents/pdf.js';
import { renderLetter } from '../../src/letter/cover-letter.js';
import type { Handover } from '../../src/schema/types.js';
import { signDocument } from '../../src/signing/jws.js';
import { signPdf } from '../../src/signing/pdf.js';
import type { TrustContext } from '../../src/signing/trust.js';
import { tempDir } from '../helpers/cli.js';
import { makePki, type TestPki } from '../letter/fixtures/identity.js';

const fixture = readFileSync(
  join(import.meta.dirname, '..', 'letter', 'fixtures', 'aftercare.handover.json'),
);
// The test certificates are valid from the second they are made: sign and verify just after.
let NOW: Date;

let pki: TestPki;
let anchors: X509Certificate[];
/** The test leaf names no business ID: the trust store binds it to the fixture's sender. */
let trust: TrustContext;
let signedHandover: Uint8Array;
let letter: Uint8Array;

beforeAll(async () => {
  pki = makePki(tempDir('handover-vpdf-'));
  NOW = new Date((Math.floor(Date.now() / 1000) + 1) * 1000);
  anchors = [new X509Certificate(pki.caPem)];
  trust = {
    anchors,
    bindings: new Map([[pki.identity.chain[0]!.fingerprint256, '1572860-0']]),
    crls: [],
  };
  const doc = await signDocument(JSON.parse(fixture.toString('utf8')) as Handover, pki.identity, {
    now: NOW,
  });
  signedHandover = new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
  const pdf = await renderLetter(doc, { lang: 'fi', fileBytes: signedHandover });
  letter = await signPdf(pdf, pki.identity, { signingTime: NOW });
});

describe('verifyPdf', () => {
  it('accepts a signed letter whose attachment is a validly signed handover, signer trusted', async () => {
    const r = await verifyPdfBytes(letter, { now: NOW, trust });
    expect(r.status).toBe('valid');
    expect(r.code).toBeUndefined();
    expect(r.subFilter).toBe('ETSI.CAdES.detached');
    expect(r.signedAt).toBe(NOW.toISOString());
    expect(r.signer?.subject).toContain('Österbottens välfärdsområde');
    expect(r.attachment).toMatchObject({
      name: '20260302-3f6c2a9e.handover.json',
      handoverId: '3f6c2a9e-8b1d-4c57-9e2a-71d4b5c8e901',
      signature: 'valid',
    });
    const { createHash } = await import('node:crypto');
    expect(r.attachment?.sha256).toBe(createHash('sha256').update(signedHandover).digest('hex'));
  });

  it('reports an intact signature from an unknown signer as untrusted', async () => {
    const r = await verifyPdfBytes(letter, { now: NOW, trustAnchors: [] });
    expect(r).toMatchObject({ status: 'untrusted', code: 'SIGNATURE_UNTRUSTED' });
  });

  it('rejects a changed byte in the signed range', async () => {
    const t = Buffer.from(letter);
    const b = Number(/\/ByteRange \[0 (\d+)/.exec(t.toString('latin1'))![1]);
    t[Math.floor(b / 3)] = (t[Math.floor(b / 3)] ?? 0) ^ 0x20;
    const r = await verifyPdfBytes(t, { now: NOW, trust });
    expect(r).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID' });
  });

  it('rejects bytes appended after the signature (not covered by it)', async () => {
    const t = Buffer.concat([Buffer.from(letter), Buffer.from('\n% appended\n')]);
    const r = await verifyPdfBytes(t, { now: NOW, trust });
    // After the signed revision's %%EOF: a later revision that the signature does not cover.
    expect(r).toMatchObject({ status: 'invalid', code: 'SIGNATURE_INVALID', reason: 'later-revision' });
  });

  it('reports a PDF without signature as SIGNATURE_MISSING', async () => {
    const pdf = await renderLetter(JSON.parse(fixture.toString('utf8')), { lang: 'sv', fileBytes: fixture });
    const r = await verifyPdfBytes(pdf, { now: NOW, trust });
    expect(r).toMatchObject({ status: 'invalid', code: 'SIGNATURE_MISSING' });
  });

  it('rejects a signed letter whose attached handover is not signed', async () => {
    const pdf = await renderLetter(JSON.parse(fixture.toString('utf8')), { lang: 'sv', fileBytes: fixture });
    const signed = await signPdf(pdf, pki.identity, { signingTime: NOW });
    const r = await verifyPdfBytes(signed, { now: NOW, trust });
    expect(r).toMatchObject({ status: 'invalid', reason: 'attachment-signature' });
    expect(r.attachment?.signature).toBe('missing');
  });

  it('reads from a path, and a missing path is a usage error', async () => {
    const dir = tempDir('handover-vpdf-file-');
    const p = join(dir, 'letter.pdf');
    writeFileSync(p, letter);
    expect((await verifyPdf(p, { now: NOW, trust })).status).toBe('valid');
    await expect(verifyPdf(join(dir, 'nope.pdf'))).rejects.toMatchObject({ code: 'PATH_NOT_FOUND', exit: 2 });
    writeFileSync(join(dir, 'not.pdf'), '{"a":1}');
    await expect(verifyPdf(join(dir, 'not.pdf'))).rejects.toMatchObject({ code: 'PDF_UNREADABLE', exit: 1 });
  });
});

describe('extractAttachedHandover', () => {
  it('returns the attached handover file byte for byte, and undefined for anything else', async () => {
    const got = await extractAttachedHandover(letter);
    expect(got && Buffer.compare(Buffer.from(got), Buffer.from(signedHandover))).toBe(0);
    expect(await extractAttachedHandover(new TextEncoder().encode('{"not":"a pdf"}'))).toBeUndefined();
    expect(await extractAttachedHandover(new TextEncoder().encode('%PDF-1.7\ngarbage'))).toBeUndefined();
  });
});
