/**
 * The certificate rules of SPEC §7 on signed documents: who a certificate under a trusted CA
 * may speak for, time (now and sigT, never before the document), basicConstraints with path
 * length, keyUsage, and revocation from CRLs that `openssl ca -gencrl` made.
 */
import { execFileSync } from 'node:child_process';
import { constants, sign as cryptoSign, type X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { softwareKey } from '../../src/keystore/software.js';
import { certificateBusinessId } from '../../src/signing/binding.js';
import { parseCrl } from '../../src/signing/crl.js';
import { signDocument, verifyDocument } from '../../src/signing/jws.js';
import type { TrustContext } from '../../src/signing/trust.js';
import { tempDir } from '../helpers/cli.js';
import { makeCert, rsaKey, SAMPLE_SENDER, sampleHandover, type TestKey } from './jws-pki.js';

const NOW = new Date('2026-03-01T08:00:00Z');
let rootKey: TestKey;
let interKey: TestKey;
let leafKey: TestKey;
let root: X509Certificate;
let inter: X509Certificate;

const sign = (chain: X509Certificate[], doc: object = sampleHandover(), now = NOW) =>
  signDocument(doc, { alias: 't', key: softwareKey(leafKey.privateKey), chain }, { now });
/** Signs as an attacker would, without our signDocument (which refuses a mismatch). */
async function rawSign(chain: X509Certificate[], doc: object, sigT: string): Promise<object> {
  const { default: canonicalize } = await import('canonicalize');
  const b64u = (b: string | Buffer) => Buffer.from(b).toString('base64url');
  const prot = b64u(
    JSON.stringify({
      alg: 'PS256',
      typ: 'handover+jws',
      x5c: chain.map((c) => c.raw.toString('base64')),
      sigT,
      crit: ['sigT'],
    }),
  );
  const input = Buffer.from(`${prot}.${b64u(canonicalize(doc)!)}`);
  const sig = cryptoSign('sha256', input, {
    key: leafKey.privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: 32,
  });
  return { ...doc, signature: { jws: `${prot}..${b64u(sig)}` } };
}
const anchored = (anchors: X509Certificate[], crls: TrustContext['crls'] = []): TrustContext => ({
  anchors,
  bindings: new Map(),
  crls,
});

beforeAll(() => {
  rootKey = rsaKey();
  interKey = rsaKey();
  leafKey = rsaKey();
  root = makeCert({ cn: 'Testi Juuri-CA', key: rootKey, ca: true });
  inter = makeCert({ cn: 'Testi Väli-CA', key: interKey, ca: true, issuer: { cert: root, key: rootKey } });
});

describe('who speaks for whom under a trusted CA', () => {
  test('the certificate names the business ID (organizationIdentifier NTRFI-…)', () => {
    const leaf = makeCert({
      cn: 'L',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: inter, key: interKey },
    });
    expect(certificateBusinessId(leaf)).toBe(SAMPLE_SENDER);
    expect(certificateBusinessId(root)).toBeUndefined();
  });

  test('a trusted CA does not let one of its subjects speak for another organisation', async () => {
    const other = makeCert({
      cn: 'Muu',
      key: leafKey,
      businessId: '0201256-6',
      issuer: { cert: inter, key: interKey },
    });
    const forged = await rawSign([other, inter], sampleHandover(), '2026-03-01T07:00:00Z');
    const v = await verifyDocument(forged, { now: NOW, trust: anchored([root]) });
    expect(v).toMatchObject({
      status: 'invalid',
      code: 'SIGNER_NOT_SENDER',
      signerBusinessId: '0201256-6',
      speaksFor: SAMPLE_SENDER,
    });
  });

  test('a binding of the CA in the trust store is not inherited by its subjects', async () => {
    const plain = makeCert({ cn: 'Nimetön', key: leafKey, issuer: { cert: inter, key: interKey } });
    const trust: TrustContext = {
      ...anchored([root]),
      bindings: new Map([[root.fingerprint256, SAMPLE_SENDER]]),
    };
    expect(await verifyDocument(await sign([plain, inter]), { now: NOW, trust })).toMatchObject({
      code: 'SIGNER_NOT_SENDER',
      reason: 'signer-not-sender',
    });
  });
});

describe('time', () => {
  const expired = () =>
    makeCert({
      cn: 'Vanha',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: inter, key: interKey },
      notBefore: new Date('2020-01-01'),
      notAfter: new Date('2022-12-31'),
    });

  test('a leaf that expired in 2022 with sigT inside its validity: refused (backdated before createdAt)', async () => {
    const s = await sign([expired(), inter], sampleHandover(), new Date('2022-06-01T10:00:00Z'));
    expect(await verifyDocument(s, { now: NOW, trust: anchored([root]) })).toMatchObject({
      status: 'invalid',
      code: 'SIGNATURE_INVALID',
      reason: 'before-document',
    });
  });

  test('even a document that claims to be from 2022: the chain must be valid now too', async () => {
    const doc = { ...sampleHandover(), createdAt: '2022-05-01T10:00:00+03:00' };
    const s = await sign([expired(), inter], doc, new Date('2022-06-01T10:00:00Z'));
    expect(await verifyDocument(s, { now: NOW, trust: anchored([root]) })).toMatchObject({
      status: 'untrusted',
      code: 'SIGNATURE_UNTRUSTED',
      reason: 'expired',
    });
  });

  test('a leaf not yet valid at sigT is refused although valid now', async () => {
    const young = makeCert({
      cn: 'Nuori',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: inter, key: interKey },
      notBefore: new Date('2026-02-28T00:00:00Z'),
    });
    const doc = { ...sampleHandover(), createdAt: '2026-02-01T10:00:00+02:00' };
    const s = await sign([young, inter], doc, new Date('2026-02-10T10:00:00Z'));
    expect(await verifyDocument(s, { now: NOW, trust: anchored([root]) })).toMatchObject({
      reason: 'expired',
    });
  });
});

describe('certificate rules', () => {
  test('pathLenConstraint: a root with pathLen 0 → intermediate → leaf is refused', async () => {
    const strict = makeCert({ cn: 'Tiukka juuri', key: rootKey, ca: true, pathLen: 0 });
    const mid = makeCert({ cn: 'Väli', key: interKey, ca: true, issuer: { cert: strict, key: rootKey } });
    const leaf = makeCert({
      cn: 'L',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: mid, key: interKey },
    });
    expect(
      await verifyDocument(await sign([leaf, mid]), { now: NOW, trust: anchored([strict]) }),
    ).toMatchObject({
      status: 'invalid',
      code: 'SIGNATURE_INVALID',
      reason: 'path-length',
    });
    // pathLen 1 allows the one intermediate; pathLen 0 allows a leaf issued by the root itself.
    const one = makeCert({ cn: 'Juuri 1', key: rootKey, ca: true, pathLen: 1 });
    const mid1 = makeCert({ cn: 'Väli', key: interKey, ca: true, issuer: { cert: one, key: rootKey } });
    const leaf1 = makeCert({
      cn: 'L',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: mid1, key: interKey },
    });
    expect(
      await verifyDocument(await sign([leaf1, mid1]), { now: NOW, trust: anchored([one]) }),
    ).toMatchObject({
      status: 'valid',
    });
    const direct = makeCert({
      cn: 'L',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: strict, key: rootKey },
    });
    expect(await verifyDocument(await sign([direct]), { now: NOW, trust: anchored([strict]) })).toMatchObject(
      {
        status: 'valid',
      },
    );
  });

  test('keyUsage: a leaf whose only usage is keyEncipherment cannot sign', async () => {
    const enc = makeCert({
      cn: 'Salaus',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: inter, key: interKey },
      keyUsage: { keyEncipherment: true },
    });
    expect(
      await verifyDocument(await sign([enc, inter]), { now: NOW, trust: anchored([root]) }),
    ).toMatchObject({
      status: 'invalid',
      reason: 'key-usage',
    });
    const nr = makeCert({
      cn: 'Kiistämätön',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: inter, key: interKey },
      keyUsage: { nonRepudiation: true },
    });
    expect(
      await verifyDocument(await sign([nr, inter]), { now: NOW, trust: anchored([root]) }),
    ).toMatchObject({
      status: 'valid',
    });
  });

  test('keyUsage: a CA without keyCertSign cannot issue', async () => {
    const noSign = makeCert({
      cn: 'Ei varmenna',
      key: interKey,
      ca: true,
      issuer: { cert: root, key: rootKey },
      keyUsage: { digitalSignature: true, cRLSign: true },
    });
    const leaf = makeCert({
      cn: 'L',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: noSign, key: interKey },
    });
    expect(
      await verifyDocument(await sign([leaf, noSign]), { now: NOW, trust: anchored([root]) }),
    ).toMatchObject({
      // OpenSSL's issuer check already refuses it as an issuer: the offered link breaks the chain.
      status: 'untrusted',
      reason: 'chain',
    });
  });
});

/** A CA on disk that openssl can revoke with and make CRLs for. */
function opensslCa(dir: string, cert: X509Certificate, key: TestKey): (args: string[]) => Buffer {
  writeFileSync(join(dir, 'ca.pem'), cert.toString());
  writeFileSync(join(dir, 'ca.key'), key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = d\n[d]\ndatabase = ${dir}/index.txt\ncrlnumber = ${dir}/crlnumber\ndefault_md = sha256\ndefault_crl_days = 7\n`,
  );
  return (args) =>
    execFileSync(
      'openssl',
      [
        'ca',
        '-config',
        join(dir, 'ca.cnf'),
        '-keyfile',
        join(dir, 'ca.key'),
        '-cert',
        join(dir, 'ca.pem'),
        ...args,
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
}

describe('revocation (CRLs made by openssl ca -gencrl)', () => {
  const realNow = () => new Date();
  const CRL_URL = 'http://127.0.0.1:9/väli.crl';

  test('a revoked leaf is SIGNATURE_REVOKED; a current CRL without it is valid', async () => {
    const dir = tempDir('handover-crl-');
    const ca = opensslCa(dir, inter, interKey);
    const leaf = makeCert({
      cn: 'Peruttu',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: inter, key: interKey },
      crlUrl: CRL_URL,
    });
    const doc = { ...sampleHandover(), createdAt: new Date(Date.now() - 60_000).toISOString() };
    const s = await sign([leaf, inter], doc, realNow());
    ca(['-gencrl', '-out', join(dir, 'empty.crl')]);
    const empty = parseCrl(readFileSync(join(dir, 'empty.crl')));
    expect(await verifyDocument(s, { trust: anchored([root], [empty]) })).toMatchObject({ status: 'valid' });
    writeFileSync(join(dir, 'leaf.pem'), leaf.toString());
    ca(['-revoke', join(dir, 'leaf.pem')]);
    ca(['-gencrl', '-out', join(dir, 'revoked.crl')]);
    const revoked = parseCrl(readFileSync(join(dir, 'revoked.crl')));
    expect(await verifyDocument(s, { trust: anchored([root], [revoked]) })).toMatchObject({
      status: 'invalid',
      code: 'SIGNATURE_REVOKED',
    });
  });

  test('a revoked intermediate revokes everything under it', async () => {
    const dir = tempDir('handover-crl-root-');
    const ca = opensslCa(dir, root, rootKey);
    const mid = makeCert({ cn: 'Väli 2', key: interKey, ca: true, issuer: { cert: root, key: rootKey } });
    const leaf = makeCert({
      cn: 'L',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: mid, key: interKey },
    });
    const doc = { ...sampleHandover(), createdAt: new Date(Date.now() - 60_000).toISOString() };
    const s = await sign([leaf, mid], doc, realNow());
    writeFileSync(join(dir, 'mid.pem'), mid.toString());
    ca(['-revoke', join(dir, 'mid.pem')]);
    ca(['-gencrl', '-out', join(dir, 'root.crl')]);
    expect(
      await verifyDocument(s, { trust: anchored([root], [parseCrl(readFileSync(join(dir, 'root.crl')))]) }),
    ).toMatchObject({
      code: 'SIGNATURE_REVOKED',
    });
  });

  test('a CRL signed by another key revokes nothing; a CA that publishes CRLs without a current one is REVOCATION_UNKNOWN', async () => {
    const dir = tempDir('handover-crl-fake-');
    // Same name as the real intermediate, another key: its CRL must not count.
    const impostorKey = rsaKey();
    const impostor = makeCert({
      cn: 'Testi Väli-CA',
      key: impostorKey,
      ca: true,
      issuer: { cert: root, key: rootKey },
    });
    const ca = opensslCa(dir, impostor, impostorKey);
    const leaf = makeCert({
      cn: 'L',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: inter, key: interKey },
      crlUrl: CRL_URL,
    });
    writeFileSync(join(dir, 'leaf.pem'), leaf.toString());
    ca(['-revoke', join(dir, 'leaf.pem')]);
    ca(['-gencrl', '-out', join(dir, 'fake.crl')]);
    const doc = { ...sampleHandover(), createdAt: new Date(Date.now() - 60_000).toISOString() };
    const s = await sign([leaf, inter], doc, realNow());
    const v = await verifyDocument(s, {
      trust: anchored([root], [parseCrl(readFileSync(join(dir, 'fake.crl')))]),
    });
    expect(v).toMatchObject({ status: 'valid', warnings: ['REVOCATION_UNKNOWN'] });
  });

  test('a CRL past its nextUpdate is not current: REVOCATION_UNKNOWN, not a silent pass', async () => {
    const dir = tempDir('handover-crl-old-');
    const ca = opensslCa(dir, inter, interKey);
    const leaf = makeCert({
      cn: 'L',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: inter, key: interKey },
      crlUrl: CRL_URL,
    });
    ca(['-gencrl', '-crlhours', '1', '-out', join(dir, 'short.crl')]);
    const crl = parseCrl(readFileSync(join(dir, 'short.crl')));
    const doc = { ...sampleHandover(), createdAt: new Date(Date.now() - 60_000).toISOString() };
    const s = await sign([leaf, inter], doc, realNow());
    const later = new Date(Date.now() + 2 * 3_600_000);
    const v = await verifyDocument(s, { now: later, trust: anchored([root], [crl]) });
    expect(v).toMatchObject({ status: 'valid', warnings: ['REVOCATION_UNKNOWN'] });
  });
});
