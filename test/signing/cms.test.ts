import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isHandoverError } from '../../src/core/errors.js';
import { decryptP7m, inspectP7m, parseRecipientCertificate, sealBytes } from '../../src/signing/cms.js';
import { tempDir } from '../helpers/cli.js';
import { makeParty, openssl, type TestParty } from './cms-helpers.js';

let dir: string;
let alice: TestParty;
let bob: TestParty;
// Binary content with CR LF and bytes that are not UTF-8: any canonicalisation would show.
const content = Buffer.concat([
  Buffer.from('{"a":"ä\r\n"}\r\n', 'utf8'),
  randomBytes(5000),
  Buffer.from([0xff, 0xfe]),
]);

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isHandoverError(e)) return e.code;
    throw e;
  }
  return 'NO_ERROR';
}

function opensslEncrypt(extra: string[], recipient: TestParty = alice): Uint8Array {
  const input = join(dir, 'plain.bin');
  writeFileSync(input, content);
  return openssl([
    'cms',
    '-encrypt',
    '-binary',
    '-aes256',
    '-in',
    input,
    '-outform',
    'DER',
    '-recip',
    recipient.certPath,
    ...extra,
  ]);
}

beforeAll(() => {
  dir = tempDir();
  alice = makeParty(dir, 'alice', 'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde');
  bob = makeParty(dir, 'bob', 'Testi Käyttäjä');
});

describe('sealBytes', () => {
  it('writes DER that openssl cms -decrypt opens to identical bytes', async () => {
    const cert = await parseRecipientCertificate(readFileSync(alice.certPath));
    const sealed = await sealBytes(content, cert.der);
    const p7m = join(dir, 'sealed.p7m');
    writeFileSync(p7m, sealed);
    const out = openssl([
      'cms',
      '-decrypt',
      '-inform',
      'DER',
      '-in',
      p7m,
      '-inkey',
      alice.keyPath,
      '-recip',
      alice.certPath,
    ]);
    expect(Buffer.compare(out, content)).toBe(0);
    const info = openssl(['cms', '-cmsout', '-print', '-inform', 'DER', '-in', p7m]).toString('utf8');
    expect(info).toContain('rsaesOaep');
    expect(info).toContain('sha256');
    expect(info).toContain('aes-256-cbc');
    const asn1 = openssl(['asn1parse', '-inform', 'DER', '-in', p7m]).toString('utf8');
    expect(asn1).not.toContain('l=inf');
  });

  it('names its recipient by issuer and serial number', async () => {
    const sealed = await sealBytes(
      content,
      (await parseRecipientCertificate(readFileSync(alice.certPath))).der,
    );
    const [r] = await inspectP7m(sealed);
    expect(r?.kind).toBe('issuerAndSerialNumber');
    expect(r?.keyTransport).toBe('rsa-oaep');
    expect(r?.issuer).toContain('O=Pohjanmaan hyvinvointialue – Österbottens välfärdsområde');
    // A DER integer may carry a leading zero byte for its sign: compare the numbers.
    const digits = (h: string | undefined) => (h ?? '').toLowerCase().replace(/^0+/, '');
    expect(digits(r?.serialNumber)).toBe(digits(alice.identity.chain[0]?.serialNumber));
  });

  it('refuses a certificate that is not one', async () => {
    expect(await codeOf(parseRecipientCertificate(Buffer.from('not a certificate')))).toBe(
      'RECIPIENT_CERT_INVALID',
    );
  });

  it('refuses an EC certificate (RSA key transport only)', async () => {
    const key = join(dir, 'ec.key');
    const cert = join(dir, 'ec.pem');
    openssl([
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-subj',
      '/CN=ec',
      '-days',
      '2',
    ]);
    expect(await codeOf(parseRecipientCertificate(readFileSync(cert)))).toBe('RECIPIENT_KEY_UNSUPPORTED');
  });
});

describe('decryptP7m', () => {
  it('opens openssl RSA-OAEP SHA-256 output to identical bytes', async () => {
    const p7m = opensslEncrypt(['-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256']);
    const plain = await decryptP7m(p7m, alice.identity);
    expect(Buffer.compare(Buffer.from(plain), content)).toBe(0);
  });

  it('opens OAEP with the SHA-1 default and a recipient named by subject key identifier', async () => {
    const p7m = opensslEncrypt(['-keyid', '-keyopt', 'rsa_padding_mode:oaep']);
    expect((await inspectP7m(p7m))[0]?.kind).toBe('subjectKeyIdentifier');
    const plain = await decryptP7m(p7m, alice.identity);
    expect(Buffer.compare(Buffer.from(plain), content)).toBe(0);
  });

  it('finds our recipient among several', async () => {
    const input = join(dir, 'plain.bin');
    writeFileSync(input, content);
    const p7m = openssl([
      'cms',
      '-encrypt',
      '-binary',
      '-aes256',
      '-in',
      input,
      '-outform',
      'DER',
      '-recip',
      bob.certPath,
      '-keyopt',
      'rsa_padding_mode:oaep',
      '-recip',
      alice.certPath,
      '-keyopt',
      'rsa_padding_mode:oaep',
    ]);
    expect(await inspectP7m(p7m)).toHaveLength(2);
    expect(Buffer.compare(Buffer.from(await decryptP7m(p7m, alice.identity)), content)).toBe(0);
    expect(Buffer.compare(Buffer.from(await decryptP7m(p7m, bob.identity)), content)).toBe(0);
  });

  it('says the file is not for this key when the recipient is someone else', async () => {
    const p7m = opensslEncrypt(['-keyopt', 'rsa_padding_mode:oaep'], bob);
    expect(await codeOf(decryptP7m(p7m, alice.identity))).toBe('P7M_NOT_FOR_US');
  });

  it('explains PKCS#1 v1.5 key transport instead of failing inside RSA', async () => {
    const p7m = opensslEncrypt([]);
    expect((await inspectP7m(p7m))[0]?.keyTransport).toBe('rsa-pkcs1-v1_5');
    expect(await codeOf(decryptP7m(p7m, alice.identity))).toBe('P7M_PKCS1_V15');
  });

  it('rejects bytes that are not CMS', async () => {
    expect(await codeOf(decryptP7m(randomBytes(300), alice.identity))).toBe('P7M_MALFORMED');
    expect(await codeOf(decryptP7m(Buffer.from('{"id":1}'), alice.identity))).toBe('P7M_MALFORMED');
  });

  it('rejects signed (not enveloped) CMS as malformed', async () => {
    const input = join(dir, 'plain.bin');
    writeFileSync(input, content);
    const signed = openssl([
      'cms',
      '-sign',
      '-binary',
      '-in',
      input,
      '-signer',
      alice.certPath,
      '-inkey',
      alice.keyPath,
      '-outform',
      'DER',
    ]);
    expect(await codeOf(decryptP7m(signed, alice.identity))).toBe('P7M_MALFORMED');
  });

  it('never returns the original bytes from a tampered ciphertext', async () => {
    const p7m = Buffer.from(
      await sealBytes(content, (await parseRecipientCertificate(readFileSync(alice.certPath))).der),
    );
    for (const back of [1, 20, 2000]) {
      const bad = Buffer.from(p7m);
      const i = bad.length - back;
      bad[i] = (bad[i] ?? 0) ^ 0x01;
      let out: Uint8Array | undefined;
      let code = 'NO_ERROR';
      try {
        out = await decryptP7m(bad, alice.identity);
      } catch (e) {
        code = isHandoverError(e) ? e.code : 'THREW';
      }
      // CBC has no integrity: either the padding check fails or the plaintext differs.
      if (out) expect(Buffer.compare(Buffer.from(out), content)).not.toBe(0);
      else expect(['P7M_DECRYPT_FAILED', 'P7M_MALFORMED']).toContain(code);
    }
  });
});
