/**
 * RFC 3161 timestamps against a real TSA on 127.0.0.1: `openssl ts -reply` behind a small
 * HTTP listener, with its own certificate (critical extendedKeyUsage timeStamping) under a
 * test root. `openssl ts -verify` accepts the tokens we embed.
 */
import { execFileSync } from 'node:child_process';
import { createHash, type X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signDocument, verifyDocument } from '../../src/signing/jws.js';
import type { TrustContext } from '../../src/signing/trust.js';
import { tempDir } from '../helpers/cli.js';
import { makeCert, rsaKey, SAMPLE_SENDER, sampleHandover, type TestKey } from './jws-pki.js';

let dir: string;
let server: Server;
let url: string;
let tsaRoot: X509Certificate;
let leafKey: TestKey;
let signerRoot: X509Certificate;
let signerRootKey: TestKey;
let served = 0;

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
  dir = tempDir('handover-tsa-');
  const rootKey = rsaKey();
  tsaRoot = makeCert({ cn: 'Testi TSA-juuri', key: rootKey, ca: true });
  writeFileSync(join(dir, 'root.pem'), tsaRoot.toString());
  writeFileSync(join(dir, 'root.key'), rootKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(
    join(dir, 'tsa.ext'),
    'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\n',
  );
  ssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    'tsa.key',
    '-out',
    'tsa.csr',
    '-subj',
    '/CN=Testi TSA',
  ]);
  ssl([
    'x509',
    '-req',
    '-in',
    'tsa.csr',
    '-CA',
    'root.pem',
    '-CAkey',
    'root.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'tsa.ext',
    '-out',
    'tsa.pem',
  ]);
  writeFileSync(join(dir, 'tsaserial'), '01\n');
  writeFileSync(
    join(dir, 'tsa.cnf'),
    [
      '[tsa]',
      'default_tsa = t',
      '[t]',
      `serial = ${dir}/tsaserial`,
      `signer_cert = ${dir}/tsa.pem`,
      `certs = ${dir}/tsa.pem`,
      `signer_key = ${dir}/tsa.key`,
      'signer_digest = sha256',
      'default_policy = 1.2.246.999.1',
      'digests = sha256',
      'accuracy = secs:1',
      'ess_cert_id_alg = sha256',
      '',
    ].join('\n'),
  );
  server = createServer((req, res) => {
    const parts: Buffer[] = [];
    req.on('data', (c: Buffer) => parts.push(c));
    req.on('end', () => {
      served++;
      const q = join(dir, `q${served}.tsq`);
      const r = join(dir, `r${served}.tsr`);
      writeFileSync(q, Buffer.concat(parts));
      ssl(['ts', '-reply', '-config', join(dir, 'tsa.cnf'), '-queryfile', q, '-out', r]);
      res.writeHead(200, { 'content-type': 'application/timestamp-reply' });
      res.end(readFileSync(r));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tsa`;
  leafKey = rsaKey();
  signerRootKey = rsaKey();
  signerRoot = makeCert({ cn: 'Testi allekirjoitus-CA', key: signerRootKey, ca: true });
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

const sign = (leaf: X509Certificate, withTs = true) =>
  signDocument(
    doc(),
    { alias: 't', privateKey: leafKey.privateKey, chain: [leaf, signerRoot] },
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
      { alias: 't', privateKey: leafKey.privateKey, chain: [shortLived(), signerRoot] },
      { timestamp: { url: 'http://127.0.0.1:9/tsa', timeoutMs: 2000 } },
    ).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'TSA_UNAVAILABLE', exit: 4 });
    expect(Date.now() - t0).toBeLessThan(5000);
  });
});
