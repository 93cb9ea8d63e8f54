/**
 * RFC 3161 timestamps against a real TSA on 127.0.0.1: `openssl ts -reply` behind a small
 * HTTP listener, with its own certificate (critical extendedKeyUsage timeStamping) under a
 * test root. `openssl ts -verify` accepts the tokens we embed.
 */
import { execFileSync } from 'node:child_process';
import { createHash, type X509Certificate } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { softwareKey } from '../../src/keystore/software.js';
import { signDocument, verifyDocument } from '../../src/signing/jws.js';
import type { TrustContext } from '../../src/signing/trust.js';
import { makeCert, rsaKey, SAMPLE_SENDER, sampleHandover, type TestKey } from './jws-pki.js';
import { startTsa, type TestTsa } from './tsa-server.js';

let tsa: TestTsa;
let dir: string;
let url: string;
let tsaRoot: X509Certificate;
let leafKey: TestKey;
let signerRoot: X509Certificate;
let signerRootKey: TestKey;

const ssl = (args: string[]) =>
  execFileSync('openssl', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
const doc = () => ({
  ...sampleHandover(),
  schemaVersion: '1.1',
  createdAt: new Date(Date.now() - 60_000).toISOString(),
});
const trust = (anchors: X509Certificate[]): TrustContext => ({ anchors, bindings: new Map(), crls: [] });
/** A leaf that is valid for a few seconds only: expired by the time we look "an hour later". */
const shortLived = () =>
  makeCert({
    cn: 'Lyhytikäinen',
    key: leafKey,
    businessId: SAMPLE_SENDER,
    issuer: { cert: signerRoot, key: signerRootKey },
    notBefore: new Date(Date.now() - 60_000),
    notAfter: new Date(Date.now() + 30_000),
  });
const HOUR_LATER = () => new Date(Date.now() + 3_600_000);

beforeAll(async () => {
  tsa = await startTsa();
  dir = tsa.dir;
  url = tsa.url;
  tsaRoot = tsa.root;
  leafKey = rsaKey();
  signerRootKey = rsaKey();
  signerRoot = makeCert({ cn: 'Testi allekirjoitus-CA', key: signerRootKey, ca: true });
});

afterAll(() => tsa.close());

const sign = (leaf: X509Certificate, withTs = true) =>
  signDocument(
    doc(),
    { alias: 't', key: softwareKey(leafKey.privateKey), chain: [leaf, signerRoot] },
    withTs ? { timestamp: { url } } : {},
  );

describe('RFC 3161 timestamps', () => {
  test('the token we embed is one openssl ts -verify accepts, over the JWS signature segment', async () => {
    const s = await sign(shortLived());
    expect(s.signature.timestamp).toBeDefined();
    const segment = s.signature.jws.split('..')[1]!;
    writeFileSync(join(dir, 'tok.der'), Buffer.from(s.signature.timestamp!, 'base64'));
    const digest = createHash('sha256').update(segment, 'ascii').digest('hex');
    const out = ssl([
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
      'tsa.pem',
    ]).toString();
    expect(out).toContain('Verification: OK');
  });

  test('a trusted TSA fixes the validation time: an hour later the expired leaf still verifies', async () => {
    const s = await sign(shortLived());
    const v = await verifyDocument(s, { now: HOUR_LATER(), trust: trust([signerRoot, tsaRoot]) });
    expect(v).toMatchObject({ status: 'valid' });
    expect(Date.parse(v.timestampedAt!)).toBeLessThanOrEqual(Date.now());
    // Without the TSA in the trust store the token proves nothing: the chain must be valid now.
    expect(await verifyDocument(s, { now: HOUR_LATER(), trust: trust([signerRoot]) })).toMatchObject({
      status: 'untrusted',
      reason: 'expired',
    });
    // Without a token, the same: sigT alone cannot revive it.
    const plain = await sign(shortLived(), false);
    expect(
      await verifyDocument(plain, { now: HOUR_LATER(), trust: trust([signerRoot, tsaRoot]) }),
    ).toMatchObject({
      reason: 'expired',
    });
  });

  test("another signature's token does not fit: SIGNATURE_INVALID (timestamp)", async () => {
    const a = await sign(shortLived());
    const b = await sign(shortLived());
    const swapped = { ...a, signature: { ...a.signature, timestamp: b.signature.timestamp } };
    expect(await verifyDocument(swapped, { trust: trust([signerRoot, tsaRoot]) })).toMatchObject({
      status: 'invalid',
      code: 'SIGNATURE_INVALID',
      reason: 'timestamp',
    });
    const garbage = { ...a, signature: { ...a.signature, timestamp: 'AAAA' } };
    expect(await verifyDocument(garbage, { trust: trust([signerRoot, tsaRoot]) })).toMatchObject({
      reason: 'timestamp',
    });
  });

  test('an unreachable TSA: TSA_UNAVAILABLE, exit 4, fast', async () => {
    const t0 = Date.now();
    const err = await signDocument(
      doc(),
      { alias: 't', key: softwareKey(leafKey.privateKey), chain: [shortLived(), signerRoot] },
      { timestamp: { url: 'http://127.0.0.1:9/tsa', timeoutMs: 2000 } },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TSA_UNAVAILABLE', exit: 4 });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
