/**
 * The partner directory (SPEC §13) signed by a coordinator whose key is in a PKCS#11 token
 * (SoftHSM2), and fetched by `trust refresh` from `directory.url` on a local HTTP server: an
 * organisation that trusts only the coordinator's fingerprint takes it like any other directory.
 */

import { X509Certificate } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBin, tempDir } from '../helpers/cli.js';
import { makeToken, type TestToken, tokenSuite } from '../helpers/softhsm.js';
import { makeOrg, type Org } from '../register/orgs.js';

const PIN = 'pin5520x71';
const COORDINATOR = { name: 'Koordinaattori (testi)', businessId: '1572860-0' };
const suite = tokenSuite();
let token: TestToken;
let K: Record<string, string>;
let A: Org;
let server: Server | undefined;
const json = <T>(s: string): T => JSON.parse(s) as T;
const der64 = (pem: string): string => new X509Certificate(pem).raw.toString('base64');

beforeAll(async () => {
  if (!suite.run) return;
  token = makeToken({ organization: COORDINATOR.name, businessId: COORDINATOR.businessId, pin: PIN });
  const home = tempDir('handover-coordinator-');
  writeFileSync(join(home, 'config.json'), JSON.stringify({ organization: COORDINATOR }));
  K = { HANDOVER_HOME: home, HANDOVER_LANG: 'en', HANDOVER_PKCS11_PIN: PIN, ...token.env };
  const imp = await runBin(
    [
      'keys',
      'import',
      '--pkcs11',
      token.module,
      '--token',
      token.tokenLabel,
      '--key',
      token.keyLabel,
      '--json',
    ],
    { env: K },
  );
  expect(imp.exitCode, imp.stderr).toBe(0);
  A = await makeOrg('Lähettävä hyvinvointialue', '0166906-4', '020');
}, 120_000);

afterAll(() => server?.close());

describe.runIf(suite.run)('a directory signed in a token, fetched by trust refresh', () => {
  it('is built with the token key and taken from directory.url by an organisation that trusts the coordinator', async () => {
    const work = tempDir('handover-dir-token-');
    const entries = join(work, 'entries.json');
    writeFileSync(
      entries,
      JSON.stringify([
        {
          businessId: A.businessId,
          name: { fi: A.name },
          languages: ['fi'],
          certificates: [der64(A.certPem)],
        },
      ]),
    );
    const out = join(work, 'directory.json');
    const b = await runBin(
      [
        'directory',
        'build',
        entries,
        '--sequence',
        '3',
        '--next-update',
        '2099-01-31',
        '--out',
        out,
        '--json',
      ],
      { env: K },
    );
    expect(b.exitCode, b.stderr).toBe(0);
    expect(json<{ signer: { fingerprint256: string } }>(b.stdout).signer.fingerprint256).toBe(
      new X509Certificate(token.certPem).fingerprint256,
    );

    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(readFileSync(out));
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as { port: number }).port;

    const pem = join(work, 'coordinator.pem');
    writeFileSync(pem, token.certPem);
    const fp = new X509Certificate(token.certPem).fingerprint256;
    expect(
      (await runBin(['trust', 'add', pem, '--fingerprint', fp, '--role', 'directory'], { env: A.env }))
        .exitCode,
    ).toBe(0);
    expect(
      (
        await runBin(['config', 'set', 'directory.url', `http://127.0.0.1:${port}/directory.json`], {
          env: A.env,
        })
      ).exitCode,
    ).toBe(0);
    const r = await runBin(['trust', 'refresh', '--json'], { env: A.env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(json<{ directory: { sequence: number; added: string[] } }>(r.stdout).directory).toMatchObject({
      sequence: 3,
      added: [A.businessId],
    });
    // Fetched again, the same directory changes nothing: a refresh that runs every night is no error.
    const again = await runBin(['trust', 'refresh'], { env: A.env });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('The partner directory is unchanged (sequence 3');
  }, 120_000);
});
