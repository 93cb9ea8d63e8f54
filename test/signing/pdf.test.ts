import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { softwareKey } from '../../src/keystore/software.js';
import { renderLetter } from '../../src/letter/cover-letter.js';
import { signPdf } from '../../src/signing/pdf.js';
import { tempDir } from '../helpers/cli.js';
import { makePki, ORG, type TestPki } from '../letter/fixtures/identity.js';

const fixtureBytes = readFileSync(
  join(import.meta.dirname, '..', 'letter', 'fixtures', 'aftercare.handover.json'),
);

let pki: TestPki;
let signedPath: string;
let signed: Uint8Array;

beforeAll(async () => {
  pki = makePki(tempDir('handover-pki-'));
  const pdf = await renderLetter(JSON.parse(fixtureBytes.toString('utf8')), {
    lang: 'sv',
    fileBytes: fixtureBytes,
  });
  signed = await signPdf(pdf, pki.identity, { signingTime: new Date('2026-03-02T08:20:00Z') });
  signedPath = join(pki.dir, 'signed.pdf');
  writeFileSync(signedPath, signed);
});

const pdfsig = (args: string[]): string => {
  const r = spawnSync('pdfsig', args, { encoding: 'utf8' });
  return `${r.stdout}${r.stderr}`;
};

describe('signPdf', () => {
  it('makes a PAdES signature that pdfsig validates, with an issuer named with ä, ö and å', () => {
    expect(pki.identity.chain[0]!.issuer).toContain('Österbottens välfärdsområde');
    const out = pdfsig([signedPath]);
    expect(out).toContain('Signature Type: ETSI.CAdES.detached');
    expect(out).toContain('Signature is Valid');
    expect(out).toContain('Total document signed');
    expect(out).toContain(ORG);
  });

  it('is trusted by pdfsig when the CA is in an NSS database', () => {
    const nss = join(pki.dir, 'nss');
    mkdirSync(nss);
    execFileSync('certutil', ['-N', '--empty-password', '-d', `sql:${nss}`]);
    execFileSync('certutil', ['-A', '-n', 'ca', '-t', 'CT,C,C', '-i', pki.caPath, '-d', `sql:${nss}`]);
    const out = pdfsig(['-nssdir', `sql:${nss}`, signedPath]);
    expect(out).toContain('Signature is Valid');
    expect(out).toContain('Certificate is Trusted');
  });

  it('keeps the file clean for qpdf and the attachment intact', () => {
    expect(execFileSync('qpdf', ['--check', signedPath], { encoding: 'utf8' })).toContain(
      'No syntax or stream encoding errors',
    );
    const out = tempDir('handover-detach-');
    execFileSync('pdfdetach', ['-saveall', '-o', out, signedPath]);
    expect(Buffer.compare(readFileSync(join(out, '20260302-3f6c2a9e.handover.json')), fixtureBytes)).toBe(0);
  });

  it('carries ESS signing-certificate-v2 with the SHA-256 of the signer certificate', () => {
    // The CMS, as openssl reads it: the signed attribute must be there and hold the cert hash.
    const text = Buffer.from(signed).toString('latin1');
    const m = /\/Contents <([0-9a-fA-F]+)>/.exec(text);
    const der = Buffer.from(m![1]!.replace(/(00)+$/, ''), 'hex');
    const cmsPath = join(pki.dir, 'sig.p7s');
    writeFileSync(cmsPath, der);
    const dump = execFileSync('openssl', ['cms', '-cmsout', '-print', '-inform', 'DER', '-in', cmsPath], {
      encoding: 'utf8',
    });
    expect(dump).toContain('id-smime-aa-signingCertificateV2');
    expect(dump).not.toContain('signingTime');
    const certHash = pki.identity.chain[0]!.fingerprint256.replace(/:/g, '').toLowerCase();
    expect(dump.replace(/[\s:-]/g, '').toLowerCase()).toContain(certHash.slice(0, 32));
  });

  it('detects a changed byte: pdfsig no longer reports the signature valid', () => {
    const tampered = Buffer.from(signed);
    const range = /\/ByteRange \[0 (\d+) /.exec(tampered.toString('latin1'));
    // A byte in the middle of the first signed range: page content, well away from the hole.
    const pos = Math.floor(Number(range![1]) / 2);
    tampered[pos] = (tampered[pos] ?? 0) ^ 0x01;
    const p = join(pki.dir, 'tampered.pdf');
    writeFileSync(p, tampered);
    expect(pdfsig([p])).not.toContain('Signature is Valid');
  });

  it('refuses a key that is not RSA', async () => {
    const { generateKeyPairSync } = await import('node:crypto');
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    await expect(signPdf(signed, { ...pki.identity, key: softwareKey(privateKey) })).rejects.toMatchObject({
      code: 'PDF_KEY_NOT_RSA',
    });
  });
});
