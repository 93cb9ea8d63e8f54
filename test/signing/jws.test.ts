import { execFileSync } from 'node:child_process';
import { createHmac, createPrivateKey, generateKeyPairSync, type X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { beforeAll, describe, expect, test } from 'vitest';
import { signatureFindings } from '../../src/documents/signature-findings.js';
import { ruleMessage } from '../../src/i18n/findings.js';
import { softwareKey } from '../../src/keystore/software.js';
import type { SigningIdentity } from '../../src/keystore/types.js';
import { createSelfSigned } from '../../src/signing/certs.js';
import { canonicalPayload, signDocument, verifyDocument } from '../../src/signing/jws.js';
import { tempDir } from '../helpers/cli.js';
import { makeCert, rsaKey, SAMPLE_SENDER, sampleHandover, type TestKey } from './jws-pki.js';

const NOW = new Date('2026-03-01T08:00:00Z');
const DAY = 86_400_000;

let leafKey: TestKey;
let self: X509Certificate;
let id: SigningIdentity;
let signed: Record<string, unknown> & { signature: { jws: string } };

const b64u = (s: string | Buffer) => Buffer.from(s).toString('base64url');
const header = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[0]!, 'base64url').toString('utf8'));
/** A JWS with a header of our choosing and a signature made by `sign` over the true signing input. */
function forge(doc: object, h: object, sign: (input: string) => Buffer): string {
  const prot = b64u(JSON.stringify(h));
  const input = `${prot}.${b64u(canonicalize(doc)!)}`;
  return `${prot}..${b64u(sign(input))}`;
}

beforeAll(async () => {
  leafKey = rsaKey(3072);
  self = await createSelfSigned({
    privateKey: leafKey.privateKey,
    organizationName: 'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde',
    businessId: '3221308-6',
    now: new Date(NOW.getTime() - 30 * DAY),
  });
  id = { alias: 'test', key: softwareKey(leafKey.privateKey), chain: [self] };
  signed = await signDocument(sampleHandover(), id, { now: NOW });
});

describe('signDocument', () => {
  test('writes "<protected>..<signature>" with alg PS256, typ, x5c, sigT and crit', () => {
    expect(signed.signature.jws).toMatch(/^[A-Za-z0-9_-]+\.\.[A-Za-z0-9_-]+$/);
    const h = header(signed.signature.jws);
    expect(h).toEqual({
      alg: 'PS256',
      typ: 'handover+jws',
      x5c: [self.raw.toString('base64')],
      sigT: '2026-03-01T08:00:00Z',
      crit: ['sigT'],
    });
  });

  test('does not change the document and replaces an earlier signature', async () => {
    const { signature: _s, ...rest } = signed;
    expect(rest).toEqual(sampleHandover());
    const again = await signDocument(signed, id, { now: new Date(NOW.getTime() + 1000) });
    expect(header(again.signature.jws).sigT).toBe('2026-03-01T08:00:01Z');
    expect(await verifyDocument(again, { now: NOW, trustAnchors: [self] })).toMatchObject({
      status: 'valid',
    });
  });

  test('the certificate carries ä, ö, å intact and the business ID as organizationIdentifier', () => {
    expect(self.subject).toContain('O=Pohjanmaan hyvinvointialue – Österbottens välfärdsområde');
    expect(self.subject).toContain('organizationIdentifier=NTRFI-3221308-6');
    const text = execFileSync('openssl', ['x509', '-noout', '-text'], { input: self.toString() }).toString();
    expect(text).toMatch(/Digital Signature, Non Repudiation, Key Encipherment/);
    expect(text).toMatch(/Public-Key: \(3072 bit\)/);
  });
});

describe('verifyDocument', () => {
  test('valid and trusted with the signer, its fingerprint and the signing time', async () => {
    const v = await verifyDocument(signed, { now: NOW, trustAnchors: [self] });
    expect(v).toMatchObject({ status: 'valid', signedAt: '2026-03-01T08:00:00Z', alg: 'PS256' });
    expect(v.code).toBeUndefined();
    expect(v.signer?.fingerprint256).toBe(self.fingerprint256);
    expect(v.signer?.subject).toContain('Österbottens');
  });

  test('key order and whitespace of the file do not matter (canonical form)', async () => {
    const reordered = JSON.parse(
      JSON.stringify(Object.fromEntries(Object.entries(signed).reverse()), null, 4),
    );
    expect(await verifyDocument(reordered, { now: NOW, trustAnchors: [self] })).toMatchObject({
      status: 'valid',
    });
  });

  test('RS256 is accepted; ES256 with an EC certificate too', async () => {
    const rs = await signDocument(sampleHandover(), id, { alg: 'RS256', now: NOW });
    expect(await verifyDocument(rs, { now: NOW, trustAnchors: [self] })).toMatchObject({
      status: 'valid',
      alg: 'RS256',
    });
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const root = rsaKey();
    const rootCert = makeCert({ cn: 'EC Root', key: root, ca: true });
    // forge cannot hold an EC public key, so the EC leaf is made by openssl from our CA.
    const dir = tempDir();
    writeFileSync(join(dir, 'ec.pem'), ec.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, 'ca.pem'), rootCert.toString());
    writeFileSync(join(dir, 'ca.key'), root.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    execFileSync(
      'openssl',
      [
        'req',
        '-new',
        '-key',
        join(dir, 'ec.pem'),
        '-subj',
        `/organizationIdentifier=NTRFI-${SAMPLE_SENDER}/CN=EC Leaf`,
        '-out',
        join(dir, 'ec.csr'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    execFileSync(
      'openssl',
      [
        'x509',
        '-req',
        '-in',
        join(dir, 'ec.csr'),
        '-CA',
        join(dir, 'ca.pem'),
        '-CAkey',
        join(dir, 'ca.key'),
        '-days',
        '30',
        '-out',
        join(dir, 'ec.crt'),
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const { X509Certificate } = await import('node:crypto');
    const ecCert = new X509Certificate(execFileSync('cat', [join(dir, 'ec.crt')]));
    const es = await signDocument(
      sampleHandover(),
      { alias: 'ec', key: softwareKey(ec.privateKey), chain: [ecCert] },
      { now: new Date() },
    );
    expect(header(es.signature.jws).alg).toBe('ES256');
    expect(await verifyDocument(es, { trustAnchors: [rootCert] })).toMatchObject({
      status: 'valid',
      alg: 'ES256',
    });
  });

  test('a document without signature is missing, not invalid', async () => {
    expect(await verifyDocument(sampleHandover(), { trustAnchors: [self] })).toEqual({
      status: 'missing',
      code: 'SIGNATURE_MISSING',
    });
  });

  test('an intact signature by a certificate not in the trust store is untrusted', async () => {
    const other = makeCert({ cn: 'Joku Muu', key: rsaKey(), ca: true });
    const v = await verifyDocument(signed, { now: NOW, trustAnchors: [other] });
    expect(v).toMatchObject({ status: 'untrusted', code: 'SIGNATURE_UNTRUSTED', reason: 'not-trusted' });
    expect(v.signer?.fingerprint256).toBe(self.fingerprint256);
  });

  test('a certificate expired now is untrusted (expired), whatever sigT claims', async () => {
    const old = makeCert({
      cn: 'Vanha',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2023-01-01'),
    });
    const s = await signDocument(
      sampleHandover(),
      { alias: 'old', key: softwareKey(leafKey.privateKey), chain: [old] },
      { now: NOW },
    );
    expect(await verifyDocument(s, { now: NOW, trustAnchors: [old] })).toMatchObject({
      status: 'untrusted',
      code: 'SIGNATURE_UNTRUSTED',
      reason: 'expired',
    });
  });

  describe('chains', () => {
    let root: X509Certificate;
    let inter: X509Certificate;
    let leaf: X509Certificate;
    let strangerCa: X509Certificate;
    let rootKey: TestKey;
    let interKey: TestKey;
    beforeAll(() => {
      rootKey = rsaKey();
      interKey = rsaKey();
      root = makeCert({ cn: 'Testi Juuri-CA', key: rootKey, ca: true });
      inter = makeCert({
        cn: 'Testi Väli-CA',
        key: interKey,
        ca: true,
        issuer: { cert: root, key: rootKey },
      });
      leaf = makeCert({
        cn: 'Testi Hyvinvointialue',
        key: leafKey,
        businessId: SAMPLE_SENDER,
        issuer: { cert: inter, key: interKey },
      });
      strangerCa = makeCert({
        cn: 'Testi Väli-CA',
        key: rsaKey(),
        ca: true,
        issuer: { cert: root, key: rootKey },
      });
    });
    const withChain = (chain: X509Certificate[]) =>
      signDocument(
        sampleHandover(),
        { alias: 'c', key: softwareKey(leafKey.privateKey), chain },
        { now: NOW },
      );

    test('leaf → intermediate (in x5c) → root (trusted) is valid', async () => {
      expect(
        await verifyDocument(await withChain([leaf, inter]), { now: NOW, trustAnchors: [root] }),
      ).toMatchObject({ status: 'valid' });
    });

    test('trusting the intermediate is enough; trusting nothing on the path is not', async () => {
      expect(
        await verifyDocument(await withChain([leaf, inter]), { now: NOW, trustAnchors: [inter] }),
      ).toMatchObject({ status: 'valid' });
      expect(
        await verifyDocument(await withChain([leaf, inter]), { now: NOW, trustAnchors: [self] }),
      ).toMatchObject({ reason: 'not-trusted' });
    });

    test('without the intermediate the leaf does not reach the root', async () => {
      expect(await verifyDocument(await withChain([leaf]), { now: NOW, trustAnchors: [root] })).toMatchObject(
        {
          status: 'untrusted',
          reason: 'not-trusted',
        },
      );
    });

    test('a wrongly chained certificate (same issuer name, other key) is untrusted (chain)', async () => {
      expect(
        await verifyDocument(await withChain([leaf, strangerCa]), { now: NOW, trustAnchors: [root] }),
      ).toMatchObject({
        status: 'untrusted',
        code: 'SIGNATURE_UNTRUSTED',
        reason: 'chain',
      });
    });

    test('a non-CA certificate cannot issue: a leaf "issued" by another leaf is not trusted', async () => {
      const fakeIssuerKey = rsaKey();
      const notCa = makeCert({ cn: 'Ei CA', key: fakeIssuerKey });
      const child = makeCert({ cn: 'Lapsi', key: leafKey, issuer: { cert: notCa, key: fakeIssuerKey } });
      const v = await verifyDocument(await withChain([child, notCa]), { now: NOW, trustAnchors: [notCa] });
      expect(v.status).toBe('untrusted');
    });

    test('an intermediate that expired before the signing time makes it untrusted (expired)', async () => {
      const oldInter = makeCert({
        cn: 'Vanha Väli-CA',
        key: interKey,
        ca: true,
        issuer: { cert: root, key: rootKey },
        notAfter: new Date('2025-01-01'),
        notBefore: new Date('2020-01-01'),
      });
      const l2 = makeCert({ cn: 'L2', key: leafKey, issuer: { cert: oldInter, key: interKey } });
      expect(
        await verifyDocument(await withChain([l2, oldInter]), { now: NOW, trustAnchors: [root] }),
      ).toMatchObject({ reason: 'expired' });
    });
  });

  test('a swapped x5c (a trusted certificate put in the header) is invalid', async () => {
    const partnerKey = rsaKey();
    const partner = makeCert({ cn: 'Kumppani', key: partnerKey });
    const h = { ...header(signed.signature.jws), x5c: [partner.raw.toString('base64')] };
    const jws = `${b64u(JSON.stringify(h))}..${signed.signature.jws.split('..')[1]}`;
    expect(
      await verifyDocument({ ...signed, signature: { jws } }, { now: NOW, trustAnchors: [partner, self] }),
    ).toMatchObject({
      status: 'invalid',
      code: 'SIGNATURE_INVALID',
      reason: 'bad-signature',
    });
  });

  test('alg none is rejected', async () => {
    const doc = sampleHandover();
    const h = {
      alg: 'none',
      typ: 'handover+jws',
      x5c: [self.raw.toString('base64')],
      sigT: '2026-03-01T08:00:00Z',
      crit: ['sigT'],
    };
    for (const jws of [`${b64u(JSON.stringify(h))}..`, forge(doc, h, () => Buffer.from('x'))]) {
      expect(
        await verifyDocument({ ...doc, signature: { jws } }, { now: NOW, trustAnchors: [self] }),
      ).toMatchObject({
        status: 'invalid',
        code: 'SIGNATURE_INVALID',
        reason: 'alg-not-allowed',
      });
    }
  });

  test('HS256 keyed with the public certificate (algorithm confusion) is rejected', async () => {
    const doc = sampleHandover();
    const h = {
      alg: 'HS256',
      typ: 'handover+jws',
      x5c: [self.raw.toString('base64')],
      sigT: '2026-03-01T08:00:00Z',
      crit: ['sigT'],
    };
    const secret = self.publicKey.export({ type: 'spki', format: 'pem' });
    const jws = forge(doc, h, (input) => createHmac('sha256', secret).update(input).digest());
    expect(
      await verifyDocument({ ...doc, signature: { jws } }, { now: NOW, trustAnchors: [self] }),
    ).toMatchObject({
      status: 'invalid',
      reason: 'alg-not-allowed',
    });
  });

  test('sigT missing from crit, a sigT in the future, a wrong typ and garbage are invalid', async () => {
    const doc = sampleHandover();
    const key = createPrivateKey(leafKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    const { sign, constants } = await import('node:crypto');
    const ps = (input: string) =>
      sign('sha256', Buffer.from(input), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
    const base = {
      alg: 'PS256',
      typ: 'handover+jws',
      x5c: [self.raw.toString('base64')],
      sigT: '2026-03-01T08:00:00Z',
      crit: ['sigT'],
    };
    const check = async (h: object) =>
      verifyDocument({ ...doc, signature: { jws: forge(doc, h, ps) } }, { now: NOW, trustAnchors: [self] });
    // Our own hand-made signature is right when the header is right: the cases below fail for their header only.
    expect(await check(base)).toMatchObject({ status: 'valid' });
    expect(await check({ ...base, crit: [] })).toMatchObject({ status: 'invalid', reason: 'crit' });
    expect(await check({ ...base, sigT: '2026-03-02T08:00:00Z' })).toMatchObject({
      status: 'invalid',
      reason: 'sigT',
    });
    expect(await check({ ...base, sigT: '1.3.2026' })).toMatchObject({ status: 'invalid', reason: 'sigT' });
    expect(await check({ ...base, typ: 'JWT' })).toMatchObject({ status: 'invalid', reason: 'header' });
    expect(await check({ ...base, x5c: ['bm90IGEgY2VydA=='] })).toMatchObject({
      status: 'invalid',
      reason: 'x5c',
    });
    for (const sig of [null, 'x', { jws: 'a.b.c' }, { jws: 'abc' }, { jws: 42 }]) {
      expect(await verifyDocument({ ...doc, signature: sig }, { trustAnchors: [self] })).toMatchObject({
        status: 'invalid',
        code: 'SIGNATURE_INVALID',
      });
    }
    expect(await verifyDocument([], { trustAnchors: [self] })).toMatchObject({
      status: 'invalid',
      reason: 'malformed',
    });
  });

  test('changing any single character of the canonical content is detected (every position)', async () => {
    const canonical = await canonicalPayload(signed);
    const jws = signed.signature;
    let checked = 0;
    let parsedDifferent = 0;
    for (let i = 0; i < canonical.length; i++) {
      const ch = canonical[i]!;
      // A different character of the same class keeps most mutations parseable JSON.
      const repl = /[0-9]/.test(ch)
        ? String((Number(ch) + 1) % 10)
        : /[a-z]/.test(ch)
          ? ch === 'z'
            ? 'a'
            : String.fromCharCode(ch.charCodeAt(0) + 1)
          : ch === 'x'
            ? 'y'
            : 'x';
      const mutated = canonical.slice(0, i) + repl + canonical.slice(i + 1);
      let doc: unknown;
      try {
        doc = JSON.parse(mutated);
      } catch {
        continue;
      }
      if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) continue;
      checked++;
      let again: string | undefined;
      try {
        again = canonicalize(doc);
      } catch {
        // A lone surrogate has no canonical form: different by definition.
      }
      if (again !== canonical) parsedDifferent++;
      const v = await verifyDocument(
        { ...(doc as object), signature: jws },
        { now: NOW, trustAnchors: [self] },
      );
      if (v.status === 'valid')
        throw new Error(`mutation at ${i} (${JSON.stringify(ch)} → ${repl}) not detected`);
      expect(v.code).toBe('SIGNATURE_INVALID');
    }
    expect(canonical.length).toBeGreaterThan(1000);
    expect(checked).toBeGreaterThanOrEqual(1000);
    expect(parsedDifferent).toBe(checked);
  });
});

describe('signatureFindings', () => {
  test('none for a valid signature; the code at /signature or "" otherwise, in the chosen language', async () => {
    const check = async (doc: unknown, anchors: X509Certificate[]) =>
      signatureFindings(await verifyDocument(doc, { now: NOW, trustAnchors: anchors }));
    expect(await check(signed, [self])).toEqual([]);
    const [missing] = await check(sampleHandover(), [self]);
    expect(missing).toMatchObject({ rule: 'SIGNATURE_MISSING', severity: 'error', pointer: '' });
    expect(ruleMessage(missing!, 'fi')).toBe('Tiedostossa ei ole allekirjoitusta.');
    const [untrusted] = await check(signed, []);
    expect(untrusted).toMatchObject({ rule: 'SIGNATURE_UNTRUSTED', pointer: '/signature' });
    expect(ruleMessage(untrusted!, 'sv')).toContain('betrodd');
    const [bad] = await check({ ...signed, notes: 'muutettu' }, [self]);
    expect(bad).toMatchObject({ rule: 'SIGNATURE_INVALID', pointer: '/signature' });
  });
});
