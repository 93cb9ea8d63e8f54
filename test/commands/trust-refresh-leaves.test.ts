/**
 * `trust refresh` with a CA as the trust anchor: the CA names no distribution point, its
 * leaves do. Refresh fetches the points of leaves seen on trusted paths (a local HTTP server on
 * 127.0.0.1 serves the CRL), and never the point of a signer that chains to nothing we trust.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import TrustAdd from '../../src/commands/trust/add.js';
import TrustRefresh from '../../src/commands/trust/refresh.js';
import Verify from '../../src/commands/verify.js';
import { softwareKey } from '../../src/keystore/software.js';
import { signDocument } from '../../src/signing/jws.js';
import { runCommand, tempDir } from '../helpers/cli.js';
import { makeCert, rsaKey, SAMPLE_SENDER, sampleHandover, type TestKey } from '../signing/jws-pki.js';

let dir: string;
let server: Server;
let base: string;
const requested: string[] = [];
const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Record<string, unknown>;

beforeAll(async () => {
  dir = tempDir('handover-refresh-');
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    if (req.url === '/ca.crl') {
      res.writeHead(200, { 'content-type': 'application/pkix-crl' });
      res.end(readFileSync(join(dir, 'current.crl')));
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

function caIn(sub: string) {
  const d = join(dir, sub);
  execFileSync('mkdir', ['-p', d]);
  const key = rsaKey();
  const ca = makeCert({ cn: `CA ${sub}`, key, ca: true });
  writeFileSync(join(d, 'ca.pem'), ca.toString());
  writeFileSync(join(d, 'ca.key'), key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(d, 'index.txt'), '');
  writeFileSync(join(d, 'crlnumber'), '01\n');
  writeFileSync(
    join(d, 'ca.cnf'),
    `[ca]\ndefault_ca = d\n[d]\ndatabase = ${d}/index.txt\ncrlnumber = ${d}/crlnumber\ndefault_md = sha256\ndefault_crl_days = 7\n`,
  );
  const run = (args: string[]) =>
    void execFileSync(
      'openssl',
      [
        'ca',
        '-config',
        join(d, 'ca.cnf'),
        '-keyfile',
        join(d, 'ca.key'),
        '-cert',
        join(d, 'ca.pem'),
        ...args,
      ],
      { stdio: 'pipe' },
    );
  return { d, ca, key, run, file: join(d, 'ca.pem') };
}

async function signed(
  issuer: { ca: ReturnType<typeof makeCert>; key: TestKey },
  crlUrl: string,
  name: string,
) {
  const key = rsaKey();
  const leaf = makeCert({
    cn: name,
    key,
    businessId: SAMPLE_SENDER,
    issuer: { cert: issuer.ca, key: issuer.key },
    crlUrl,
  });
  const doc = { ...sampleHandover(), createdAt: new Date(Date.now() - 60_000).toISOString() };
  const file = join(dir, `${name}.handover.json`);
  writeFileSync(
    file,
    JSON.stringify(
      await signDocument(doc, { alias: 't', key: softwareKey(key.privateKey), chain: [leaf, issuer.ca] }),
    ),
  );
  writeFileSync(join(dir, `${name}.pem`), leaf.toString());
  return { file, leafFile: join(dir, `${name}.pem`) };
}

describe('trust refresh with a CA as the anchor', () => {
  test("fetches the CRL from a trusted leaf's distribution point; the revoked leaf is then refused", async () => {
    const c = caIn('trusted');
    const { file, leafFile } = await signed(c, `${base}/ca.crl`, 'leaf');
    const env = { HANDOVER_HOME: tempDir('handover-refresh-home-'), HANDOVER_LANG: 'en' };
    expect((await runCommand(TrustAdd, [c.file, '--fingerprint', c.ca.fingerprint256], env)).exitCode).toBe(
      0,
    );
    // The anchor publishes no point, and no leaf has been seen: nothing to fetch.
    expect(json(await runCommand(TrustRefresh, ['--json'], env))).toMatchObject({ fetched: [], failed: [] });

    const before = await runCommand(Verify, [file, '--json'], env);
    expect(json(before)).toMatchObject({ ok: true, warnings: ['REVOCATION_UNKNOWN'] });

    c.run(['-revoke', leafFile]);
    c.run(['-gencrl', '-out', join(dir, 'current.crl')]);
    const r = await runCommand(TrustRefresh, ['--json'], env);
    expect(r.exitCode).toBe(0);
    expect(json(r)).toMatchObject({ fetched: [{ added: true, revoked: 1 }], failed: [] });
    expect(requested).toContain('/ca.crl');

    const after = await runCommand(Verify, [file, '--json'], env);
    expect(after.exitCode).toBe(1);
    expect(json(after)).toMatchObject({ code: 'SIGNATURE_REVOKED' });
  });

  test('never fetches the point of a signer that chains to nothing in the trust store', async () => {
    const trusted = caIn('anchor');
    const stranger = caIn('stranger');
    const { file } = await signed(stranger, `${base}/attacker-chose-this.crl`, 'stranger-leaf');
    const env = { HANDOVER_HOME: tempDir('handover-refresh-home-'), HANDOVER_LANG: 'en' };
    await runCommand(TrustAdd, [trusted.file, '--fingerprint', trusted.ca.fingerprint256], env);
    const v = await runCommand(Verify, [file, '--json'], env);
    expect(json(v)).toMatchObject({ code: 'SIGNATURE_UNTRUSTED' });
    expect(json(await runCommand(TrustRefresh, ['--json'], env))).toMatchObject({ fetched: [], failed: [] });
    expect(requested).not.toContain('/attacker-chose-this.crl');
  });
});
