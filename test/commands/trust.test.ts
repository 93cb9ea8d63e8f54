/**
 * `trust add --business-id`, `trust add-crl` and `trust refresh` through the commands, with a
 * CA and CRLs that openssl made and a CRL distribution point served on 127.0.0.1.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import TrustAdd from '../../src/commands/trust/add.js';
import TrustAddCrl from '../../src/commands/trust/add-crl.js';
import TrustList from '../../src/commands/trust/list.js';
import TrustRefresh from '../../src/commands/trust/refresh.js';
import Verify from '../../src/commands/verify.js';
import { softwareKey } from '../../src/keystore/software.js';
import { signDocument } from '../../src/signing/jws.js';
import { runCommand, tempDir } from '../helpers/cli.js';
import { makeCert, rsaKey, SAMPLE_SENDER, sampleHandover, type TestKey } from '../signing/jws-pki.js';

let dir: string;
let server: Server;
let crlUrl: string;
let caKey: TestKey;
let leafKey: TestKey;
let caFile: string;
let ca: ReturnType<typeof makeCert>;
const envOf = () => ({ HANDOVER_HOME: tempDir('handover-trustcmd-'), HANDOVER_LANG: 'en' });
const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Record<string, unknown>;

function openssl(args: string[]): void {
  execFileSync(
    'openssl',
    ['ca', '-config', join(dir, 'ca.cnf'), '-keyfile', join(dir, 'ca.key'), '-cert', caFile, ...args],
    {
      stdio: 'pipe',
    },
  );
}

/** A handover signed by a leaf of the CA; the leaf names a CRL distribution point. */
async function signedBy(leaf: ReturnType<typeof makeCert>): Promise<string> {
  const doc = { ...sampleHandover(), createdAt: new Date(Date.now() - 60_000).toISOString() };
  const s = await signDocument(doc, { alias: 't', key: softwareKey(leafKey.privateKey), chain: [leaf, ca] });
  const file = join(dir, `${leaf.serialNumber}.handover.json`);
  writeFileSync(file, JSON.stringify(s));
  return file;
}

beforeAll(async () => {
  dir = tempDir('handover-trustcmd-ca-');
  server = createServer((req, res) => {
    if (req.url === '/ca.crl') {
      res.writeHead(200, { 'content-type': 'application/pkix-crl' });
      res.end(readFileSync(join(dir, 'current.crl')));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  crlUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/ca.crl`;
  caKey = rsaKey();
  leafKey = rsaKey();
  ca = makeCert({ cn: 'Testi CA', key: caKey, ca: true });
  caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, ca.toString());
  writeFileSync(join(dir, 'ca.key'), caKey.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = d\n[d]\ndatabase = ${dir}/index.txt\ncrlnumber = ${dir}/crlnumber\ndefault_md = sha256\ndefault_crl_days = 7\n`,
  );
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('trust add --business-id', () => {
  test('binds a certificate that names no business ID; refuses to rebind one that does', async () => {
    const env = envOf();
    const plain = makeCert({ cn: 'Ilman tunnusta', key: rsaKey() });
    const named = makeCert({ cn: 'Nimetty', key: rsaKey(), businessId: '0201256-6' });
    writeFileSync(join(dir, 'plain.pem'), plain.toString());
    writeFileSync(join(dir, 'named.pem'), named.toString());
    const ok = await runCommand(
      TrustAdd,
      [
        join(dir, 'plain.pem'),
        '--fingerprint',
        plain.fingerprint256,
        '--business-id',
        SAMPLE_SENDER,
        '--json',
      ],
      env,
    );
    expect(ok.exitCode).toBe(0);
    expect(json(ok)).toMatchObject({ added: true, businessId: SAMPLE_SENDER });
    const list = json(await runCommand(TrustList, ['--json'], env)) as { trusted: { businessId?: string }[] };
    expect(list.trusted[0]?.businessId).toBe(SAMPLE_SENDER);
    const bad = await runCommand(
      TrustAdd,
      [
        join(dir, 'named.pem'),
        '--fingerprint',
        named.fingerprint256,
        '--business-id',
        SAMPLE_SENDER,
        '--json',
      ],
      env,
    );
    expect(json(bad).error).toMatchObject({ code: 'TRUST_BUSINESS_ID_MISMATCH', exit: 1 });
    const typo = await runCommand(
      TrustAdd,
      [join(dir, 'named.pem'), '--fingerprint', named.fingerprint256, '--business-id', '1234567-8', '--json'],
      env,
    );
    expect(json(typo).error).toMatchObject({ code: 'BUSINESS_ID_INVALID', exit: 2 });
  });
});

describe('trust add-crl and trust refresh', () => {
  test('a revoked leaf: valid before the CRL, SIGNATURE_REVOKED after add-crl (file) and after refresh (URL)', async () => {
    const leaf = makeCert({
      cn: 'L',
      key: leafKey,
      businessId: SAMPLE_SENDER,
      issuer: { cert: ca, key: caKey },
      crlUrl,
    });
    const file = await signedBy(leaf);
    const env = envOf();
    expect((await runCommand(TrustAdd, [caFile, '--fingerprint', ca.fingerprint256], env)).exitCode).toBe(0);
    // No CRL yet, and the leaf names a distribution point: valid, with the warning.
    const before = await runCommand(Verify, [file, '--json'], env);
    expect(before.exitCode).toBe(0);
    expect(json(before)).toMatchObject({ ok: true, warnings: ['REVOCATION_UNKNOWN'] });

    writeFileSync(join(dir, 'leaf.pem'), leaf.toString());
    openssl(['-revoke', join(dir, 'leaf.pem')]);
    openssl(['-gencrl', '-out', join(dir, 'current.crl')]);
    const add = await runCommand(TrustAddCrl, [join(dir, 'current.crl'), '--json'], env);
    expect(add.exitCode).toBe(0);
    expect(json(add)).toMatchObject({ added: true, revoked: 1, issuer: expect.stringContaining('Testi CA') });
    const after = await runCommand(Verify, [file, '--json'], env);
    expect(after.exitCode).toBe(1);
    expect(json(after)).toMatchObject({ ok: false, code: 'SIGNATURE_REVOKED' });

    const fresh = envOf();
    await runCommand(TrustAdd, [caFile, '--fingerprint', ca.fingerprint256], fresh);
    // The CA names no distribution point itself; refresh follows those of trusted certificates.
    const none = json(await runCommand(TrustRefresh, ['--json'], fresh));
    expect(none).toMatchObject({ fetched: [], failed: [] });
    const viaUrl = await runCommand(TrustAddCrl, [crlUrl, '--json'], fresh);
    expect(json(viaUrl)).toMatchObject({ added: true, revoked: 1 });
    expect(json(await runCommand(Verify, [file, '--json'], fresh))).toMatchObject({
      code: 'SIGNATURE_REVOKED',
    });
  });

  test('refresh fetches from the distribution point of a trusted certificate; a dead point is exit 4', async () => {
    openssl(['-gencrl', '-out', join(dir, 'current.crl')]);
    const env = envOf();
    const published = makeCert({ cn: 'Julkaiseva', key: rsaKey(), businessId: SAMPLE_SENDER, crlUrl });
    writeFileSync(join(dir, 'pub.pem'), published.toString());
    await runCommand(TrustAdd, [join(dir, 'pub.pem'), '--fingerprint', published.fingerprint256], env);
    const r = json(await runCommand(TrustRefresh, ['--json'], env)) as {
      fetched: unknown[];
      failed: unknown[];
    };
    expect(r.fetched).toHaveLength(1);
    const dead = makeCert({ cn: 'Kuollut', key: rsaKey(), crlUrl: 'http://127.0.0.1:9/none.crl' });
    writeFileSync(join(dir, 'dead.pem'), dead.toString());
    const env2 = envOf();
    await runCommand(TrustAdd, [join(dir, 'dead.pem'), '--fingerprint', dead.fingerprint256], env2);
    const d = await runCommand(TrustRefresh, ['--json'], env2);
    expect(d.exitCode).toBe(4);
    expect(json(d)).toMatchObject({ fetched: [], failed: [{ code: 'CRL_FETCH_FAILED' }] });
  });

  test('a file that is no CRL: CRL_INVALID, exit 1', async () => {
    const r = await runCommand(TrustAddCrl, [caFile, '--json'], envOf());
    expect(r.exitCode).toBe(1);
    expect(json(r).error).toMatchObject({ code: 'CRL_INVALID', exit: 1 });
  });
});
