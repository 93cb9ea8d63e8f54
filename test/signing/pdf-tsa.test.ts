/**
 * PAdES B-T: the cover letter's CMS signature carries an RFC 3161 token over its signature
 * value (the signature-time-stamp unsigned attribute), from a real TSA on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { verifyPdfBytes } from '../../src/documents/pdf.js';
import { renderLetter } from '../../src/letter/cover-letter.js';
import type { Handover } from '../../src/schema/types.js';
import { signDocument } from '../../src/signing/jws.js';
import { signPdf } from '../../src/signing/pdf.js';
import { checkPdfSignature } from '../../src/signing/pdf-verify.js';
import type { TrustContext } from '../../src/signing/trust.js';
import { tempDir } from '../helpers/cli.js';
import { makePki, type TestPki } from '../letter/fixtures/identity.js';
import { startTsa, type TestTsa } from './tsa-server.js';

const fixture = readFileSync(
  join(import.meta.dirname, '..', 'letter', 'fixtures', 'aftercare.handover.json'),
);
let tsa: TestTsa;
let pki: TestPki;
let letter: Uint8Array;
const SIXTY_DAYS_LATER = () => new Date(Date.now() + 60 * 86_400_000);
const trust = (withTsa: boolean): TrustContext => ({
  anchors: [new X509Certificate(pki.caPem), ...(withTsa ? [tsa.root] : [])],
  // The fixture's leaf names no business ID: bound to the attached handover's sender.
  bindings: new Map([[pki.identity.chain[0]!.fingerprint256, '1572860-0']]),
  crls: [],
});

beforeAll(async () => {
  tsa = await startTsa();
  pki = makePki(tempDir('handover-pades-bt-'));
  const now = new Date();
  // The attached handover is stamped too (signature.timestamp), as `new` does with timestamp.url.
  const doc = await signDocument(JSON.parse(fixture.toString('utf8')) as Handover, pki.identity, {
    now,
    timestamp: { url: tsa.url },
  });
  const bytes = new TextEncoder().encode(`${JSON.stringify(doc, null, 2)}\n`);
  const pdf = await renderLetter(doc, { lang: 'fi', fileBytes: bytes });
  letter = await signPdf(pdf, pki.identity, { signingTime: now, timestamp: { url: tsa.url } });
});
afterAll(() => tsa.close());

describe('PAdES B-T', () => {
  test('the token covers the SignerInfo signature value; openssl ts -verify accepts it', async () => {
    const check = await checkPdfSignature(letter);
    expect(check.ok).toBe(true);
    expect(check.timestamp).toBeDefined();
    const dir = tempDir();
    writeFileSync(join(dir, 'tok.der'), check.timestamp!.token);
    writeFileSync(join(dir, 'root.pem'), tsa.root.toString());
    const digest = createHash('sha256').update(check.timestamp!.signatureValue).digest('hex');
    const out = execFileSync(
      'openssl',
      [
        'ts',
        '-verify',
        '-in',
        'tok.der',
        '-token_in',
        '-digest',
        digest,
        '-CAfile',
        'root.pem',
        '-untrusted',
        join(tsa.dir, 'tsa.pem'),
      ],
      { cwd: dir, encoding: 'utf8' },
    );
    expect(out).toContain('Verification: OK');
  });

  test('a trusted TSA keeps the letter valid after its certificates expired; without it, expired', async () => {
    expect(await verifyPdfBytes(letter, { trust: trust(true) })).toMatchObject({ status: 'valid' });
    // Sixty days on, the 30-day test certificates have expired: only the TSA's time saves them.
    expect(await verifyPdfBytes(letter, { now: SIXTY_DAYS_LATER(), trust: trust(true) })).toMatchObject({
      status: 'valid',
    });
    expect(await verifyPdfBytes(letter, { now: SIXTY_DAYS_LATER(), trust: trust(false) })).toMatchObject({
      status: 'untrusted',
      reason: 'expired',
    });
  });
});
