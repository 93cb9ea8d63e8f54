/**
 * CRLs as a CA toolkit makes them (openssl ca), against `trust add-crl`, `verify` and `import`:
 * one signed with RSASSA-PSS by the real CA revokes; one with an algorithm we cannot check is
 * refused, never stored; one past its next update still revokes what it lists, warns when
 * stored, and leaves the other certificates of its CA REVOCATION_UNKNOWN even when they name
 * no distribution point.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import Import from '../../src/commands/import.js';
import TrustAdd from '../../src/commands/trust/add.js';
import TrustAddCrl from '../../src/commands/trust/add-crl.js';
import Verify from '../../src/commands/verify.js';
import { softwareKey } from '../../src/keystore/software.js';
import { signDocument } from '../../src/signing/jws.js';
import { runCommand, tempDir } from '../helpers/cli.js';
import { handover, makeOrg, type Org } from '../register/orgs.js';
import { makeCert, rsaKey, type TestKey } from '../signing/jws-pki.js';

const json = (r: { stdout: string }) => JSON.parse(r.stdout) as Record<string, unknown>;
const SENDER = { name: 'Länsi-Testin hyvinvointialue', businessId: '3221308-6' };

let B: Org;
beforeAll(async () => {
  B = await makeOrg('Itä-Testin hyvinvointialue', '2082259-7', '091');
});

interface TestCa {
  dir: string;
  file: string;
  ca: ReturnType<typeof makeCert>;
  key: TestKey;
  run(args: string[]): void;
}

function makeCa(): TestCa {
  const dir = tempDir('handover-crlca-');
  const key = rsaKey();
  const ca = makeCert({ cn: 'Testi CA', key, ca: true });
  const file = join(dir, 'ca.pem');
  writeFileSync(file, ca.toString());
  writeFileSync(join(dir, 'ca.key'), key.privateKey.export({ type: 'pkcs8', format: 'pem' }));
  writeFileSync(join(dir, 'index.txt'), '');
  writeFileSync(join(dir, 'crlnumber'), '01\n');
  writeFileSync(
    join(dir, 'ca.cnf'),
    `[ca]\ndefault_ca = d\n[d]\ndatabase = ${dir}/index.txt\ncrlnumber = ${dir}/crlnumber\ndefault_md = sha256\ndefault_crl_days = 7\n`,
  );
  const run = (args: string[]) =>
    void execFileSync(
      'openssl',
      ['ca', '-config', join(dir, 'ca.cnf'), '-keyfile', join(dir, 'ca.key'), '-cert', file, ...args],
      {
        stdio: 'pipe',
      },
    );
  return { dir, file, ca, key, run };
}

/** A leaf of the CA for the sender, without a CRL distribution point, and a handover it signed. */
async function leafAndFile(c: TestCa, name: string) {
  const key = rsaKey();
  const leaf = makeCert({ cn: name, key, businessId: SENDER.businessId, issuer: { cert: c.ca, key: c.key } });
  writeFileSync(join(c.dir, `${name}.pem`), leaf.toString());
  const sign = async (file: string) => {
    const doc = { ...handover(SENDER as Org, B), createdAt: new Date(Date.now() - 60_000).toISOString() };
    writeFileSync(
      file,
      JSON.stringify(
        await signDocument(doc, { alias: 't', key: softwareKey(key.privateKey), chain: [leaf, c.ca] }),
      ),
    );
    return file;
  };
  return { leaf, leafFile: join(c.dir, `${name}.pem`), sign };
}

const freshHome = async (c: TestCa) => {
  const env = { ...B.env, HANDOVER_HOME: tempDir('handover-crlhome-') };
  expect((await runCommand(TrustAdd, [c.file, '--fingerprint', c.ca.fingerprint256], env)).exitCode).toBe(0);
  return env;
};

const crlFiles = (env: { HANDOVER_HOME: string }) => {
  const d = join(env.HANDOVER_HOME, 'trust', 'crl');
  return existsSync(d) ? readdirSync(d) : [];
};

describe('an RSASSA-PSS CRL of the real CA', () => {
  test('revokes: verify and import refuse the revoked signer', async () => {
    const c = makeCa();
    const { leafFile, sign } = await leafAndFile(c, 'pss-leaf');
    const bEnv = { ...B.env };
    expect((await runCommand(TrustAdd, [c.file, '--fingerprint', c.ca.fingerprint256], bEnv)).exitCode).toBe(
      0,
    );
    // Before the CRL the signer is good: import accepts one handover.
    const first = await sign(join(c.dir, 'first.handover.json'));
    const ok = await runCommand(Import, [first, '--json'], bEnv);
    expect(ok.exitCode).toBe(0);
    expect((json(ok).files as { outcome: string }[])[0]).toMatchObject({ outcome: 'accepted' });

    c.run(['-revoke', leafFile]);
    const crl = join(c.dir, 'pss.crl');
    c.run(['-gencrl', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-out', crl]);
    expect(execFileSync('openssl', ['crl', '-in', crl, '-noout', '-text'], { encoding: 'utf8' })).toMatch(
      /Signature Algorithm: rsassaPss[\s\S]*Hash Algorithm: sha256[\s\S]*Salt Length: 0x20/,
    );
    const add = await runCommand(TrustAddCrl, [crl, '--json'], bEnv);
    expect(add.exitCode).toBe(0);
    expect(json(add)).toMatchObject({ added: true, revoked: 1, stale: false });

    const second = await sign(join(c.dir, 'second.handover.json'));
    const v = await runCommand(Verify, [second, '--json'], bEnv);
    expect(v.exitCode).toBe(1);
    expect(json(v)).toMatchObject({ ok: false, code: 'SIGNATURE_REVOKED' });
    const imp = await runCommand(Import, [second, '--json'], bEnv);
    expect(imp.exitCode).not.toBe(0);
    expect(imp.stdout).toContain('SIGNATURE_REVOKED');
    expect((json(imp).files as { outcome: string }[])[0]).toMatchObject({ outcome: 'rejected' });
  });

  test('a PSS CRL signed by another key revokes nothing', async () => {
    const c = makeCa();
    const other = makeCa();
    const { leafFile, sign } = await leafAndFile(c, 'pss-other');
    // The other CA's key signs a CRL under the real CA's name (its cert carries the same name).
    other.run(['-revoke', leafFile]);
    const crl = join(c.dir, 'forged.crl');
    other.run(['-gencrl', '-sigopt', 'rsa_padding_mode:pss', '-out', crl]);
    const env = await freshHome(c);
    expect((await runCommand(TrustAddCrl, [crl, '--json'], env)).exitCode).toBe(0);
    const v = await runCommand(Verify, [await sign(join(c.dir, 'o.handover.json')), '--json'], env);
    expect(v.exitCode).toBe(0);
  });
});

describe('a CRL whose signature algorithm cannot be checked', () => {
  test('is refused at add-crl with CRL_SIGNATURE_UNSUPPORTED and not stored', async () => {
    const c = makeCa();
    const { leafFile } = await leafAndFile(c, 'alg-leaf');
    c.run(['-revoke', leafFile]);
    const good = join(c.dir, 'good.crl');
    c.run(['-gencrl', '-out', good, '-outform', 'DER'].filter((a) => a !== '-outform' && a !== 'DER'));
    const der = execFileSync('openssl', ['crl', '-in', good, '-outform', 'DER']);
    // sha256WithRSAEncryption (…1.1.11) → sha224WithRSAEncryption (…1.1.14), inside and outside the signed part.
    const oid = Buffer.from('06092a864886f70d01010b', 'hex');
    const hacked = Buffer.from(der);
    let n = 0;
    for (let at = hacked.indexOf(oid); at >= 0; at = hacked.indexOf(oid, at + 1), n++)
      hacked[at + oid.length - 1] = 0x0e;
    expect(n).toBe(2);
    writeFileSync(join(c.dir, 'sha224.crl'), hacked);
    // RSASSA-PSS whose MGF1 hash differs from its message hash.
    const mgf = join(c.dir, 'mgf1.crl');
    c.run(['-gencrl', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_mgf1_md:sha1', '-out', mgf]);
    for (const file of [join(c.dir, 'sha224.crl'), mgf]) {
      const env = await freshHome(c);
      const r = await runCommand(TrustAddCrl, [file, '--json'], env);
      expect(r.exitCode).toBe(1);
      expect(json(r).error).toMatchObject({ code: 'CRL_SIGNATURE_UNSUPPORTED', exit: 1 });
      expect(crlFiles(env)).toEqual([]);
      const en = await runCommand(TrustAddCrl, [file], { ...env, HANDOVER_LANG: 'fi' });
      expect(en.stderr).toContain('CRL_SIGNATURE_UNSUPPORTED');
      expect(en.stderr).toContain('algoritmilla');
    }
  });
});

describe('a CRL past its next update', () => {
  const past = (hours: number) =>
    new Date(Date.now() - hours * 3_600_000).toISOString().replace(/[-:T]/g, '').slice(0, 14) + 'Z';

  test('is stored with a warning; it still revokes what it lists; others of its CA are REVOCATION_UNKNOWN', async () => {
    const c = makeCa();
    const revoked = await leafAndFile(c, 'stale-revoked');
    const good = await leafAndFile(c, 'stale-good');
    c.run(['-revoke', revoked.leafFile]);
    const crl = join(c.dir, 'stale.crl');
    c.run(['-gencrl', '-crl_lastupdate', past(48), '-crl_nextupdate', past(24), '-out', crl]);
    const env = await freshHome(c);
    // Neither leaf names a distribution point: before any CRL, nothing is known of the CA's CRLs.
    const goodFile = await good.sign(join(c.dir, 'good.handover.json'));
    const before = json(await runCommand(Verify, [goodFile, '--json'], env));
    expect(before).toMatchObject({ ok: true });
    expect(before.warnings ?? []).toEqual([]);

    for (const [lang, word] of [
      ['en', 'past its next update'],
      ['fi', 'seuraava päivitys'],
      ['sv', 'nästa uppdatering'],
    ] as const) {
      const add = await runCommand(TrustAddCrl, [crl], { ...env, HANDOVER_LANG: lang });
      expect(add.exitCode).toBe(0);
      expect(add.stderr).toContain(word);
    }
    expect(json(await runCommand(TrustAddCrl, [crl, '--json'], env))).toMatchObject({
      stale: true,
      revoked: 1,
    });

    const v = await runCommand(
      Verify,
      [await revoked.sign(join(c.dir, 'revoked.handover.json')), '--json'],
      env,
    );
    expect(v.exitCode).toBe(1);
    expect(json(v)).toMatchObject({ code: 'SIGNATURE_REVOKED' });
    const g = await runCommand(Verify, [goodFile, '--json'], env);
    expect(g.exitCode).toBe(0);
    expect(json(g)).toMatchObject({ ok: true, warnings: ['REVOCATION_UNKNOWN'] });
  });

  test('a certificate on hold in a stale CRL is REVOCATION_UNKNOWN (a hold can be lifted), not silently valid', async () => {
    const c = makeCa();
    const held = await leafAndFile(c, 'held');
    c.run(['-revoke', held.leafFile, '-crl_hold', 'holdInstructionReject']);
    const crl = join(c.dir, 'hold.crl');
    c.run(['-gencrl', '-crl_lastupdate', past(48), '-crl_nextupdate', past(24), '-out', crl]);
    expect(readFileSync(crl, 'utf8')).toContain('BEGIN X509 CRL');
    const env = await freshHome(c);
    expect((await runCommand(TrustAddCrl, [crl, '--json'], env)).exitCode).toBe(0);
    const v = await runCommand(Verify, [await held.sign(join(c.dir, 'held.handover.json')), '--json'], env);
    expect(v.exitCode).toBe(0);
    expect(json(v)).toMatchObject({ ok: true, warnings: ['REVOCATION_UNKNOWN'] });
  });
});
