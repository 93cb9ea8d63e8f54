/**
 * The partner directory (SPEC §13) between three organisations and a coordinator, each with a
 * home of its own: each trusts only the coordinator's fingerprint, and the directory does the
 * rest. The attacks are built by hand: a directory signed with openssl by a partner's key, a
 * handover signed by the directory signer, an entry whose certificate names another
 * organisation, a directory edited after signing, replayed and stale ones.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomUUID, X509Certificate } from 'node:crypto';
import { cpSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import canonicalize from 'canonicalize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import DirectoryBuild from '../../src/commands/directory/build.js';
import Import from '../../src/commands/import.js';
import Letter from '../../src/commands/letter.js';
import Open from '../../src/commands/open.js';
import Seal from '../../src/commands/seal.js';
import TrustAdd from '../../src/commands/trust/add.js';
import TrustImportDirectory from '../../src/commands/trust/import-directory.js';
import TrustList from '../../src/commands/trust/list.js';
import TrustRemove from '../../src/commands/trust/remove.js';
import { loadSigningIdentity } from '../../src/keystore/index.js';
import { registerSent } from '../../src/register/sent.js';
import type { Directory, DirectoryEntry } from '../../src/schema/directory-types.js';
import type { ImportResult } from '../../src/services/import/index.js';
import type { TrustInfo } from '../../src/services/trust.js';
import { signDocument } from '../../src/signing/jws.js';
import { runBin, runCommand, tempDir } from '../helpers/cli.js';
import { type PgServer, requirePostgresInCi, startPostgres } from '../helpers/postgres.js';
import { as, handover, makeOrg, type Org, sendFile } from '../register/orgs.js';

let K: Org; // the coordinator
let A: Org;
let B: Org;
let C: Org;
const json = <T>(s: string): T => JSON.parse(s) as T;
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const der64 = (pem: string): string => new X509Certificate(pem).raw.toString('base64');
const fp = (pem: string): string => new X509Certificate(pem).fingerprint256;

const entry = (o: Org, extra: Partial<DirectoryEntry> = {}): DirectoryEntry => ({
  businessId: o.businessId,
  name: { fi: o.name, sv: `${o.name} (sv)` },
  languages: ['fi'],
  handoverContact: { email: `siirrot${o.businessId.slice(0, 3)}@example.fi` },
  certificates: [der64(o.certPem)],
  ...extra,
});

async function build(
  entries: DirectoryEntry[],
  sequence: number,
  nextUpdate = '2099-12-31',
): Promise<string> {
  const file = join(K.dir, `entries-${sequence}.json`);
  writeFileSync(file, JSON.stringify(entries));
  const out = join(K.dir, `directory-${sequence}.json`);
  const r = await runCommand(
    DirectoryBuild,
    [file, '--sequence', String(sequence), '--next-update', nextUpdate, '--out', out, '--json'],
    K.env,
  );
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return out;
}

const importDir = (org: Org, file: string, ...more: string[]) =>
  runCommand(TrustImportDirectory, [file, '--json', ...more], org.env);

async function trustCoordinator(org: Org): Promise<void> {
  const pem = join(org.dir, 'coordinator.pem');
  writeFileSync(pem, K.certPem);
  const r = await runCommand(
    TrustAdd,
    [pem, '--fingerprint', fp(K.certPem), '--role', 'directory', '--json'],
    org.env,
  );
  expect(r.exitCode).toBe(0);
  expect(json<TrustInfo>(r.stdout).source).toBe('directory-signer');
}

const errorCode = (stdout: string): string => json<{ error: { code: string } }>(stdout).error.code;

/** A key and a self-signed certificate made by openssl, as an attacker or a partner would make them. */
function selfSigned(dir: string, subject: string): { keyPem: string; certPem: string } {
  const [key, cert] = [join(dir, 'key.pem'), join(dir, 'cert.pem')];
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '30',
      '-subj',
      subject,
    ],
    { stdio: 'ignore' },
  );
  return { keyPem: readFileSync(key, 'utf8'), certPem: readFileSync(cert, 'utf8') };
}

/** RFC 7515 by hand with openssl: the way an attacker signs without our code. */
function opensslSign(doc: object, keyPem: string, certPem: string): object {
  const { signature: _s, ...rest } = doc as Record<string, unknown>;
  const header = {
    alg: 'RS256',
    typ: 'handover+jws',
    x5c: [der64(certPem)],
    sigT: new Date().toISOString().replace(/\.\d{3}Z$/, 'Z'),
    crit: ['sigT'],
  };
  const prot = Buffer.from(JSON.stringify(header)).toString('base64url');
  const input = `${prot}.${Buffer.from(canonicalize(rest) as string).toString('base64url')}`;
  const dir = tempDir('handover-attacker-');
  writeFileSync(join(dir, 'key.pem'), keyPem);
  const sig = execFileSync('openssl', ['dgst', '-sha256', '-sign', join(dir, 'key.pem')], { input });
  return { ...rest, signature: { jws: `${prot}..${sig.toString('base64url')}` } };
}

let dir1: string;

beforeAll(async () => {
  K = await makeOrg('Koordinoiva hyvinvointialue', '1572860-0', '091');
  A = await makeOrg('Lähettävä hyvinvointialue', '0166906-4', '020');
  B = await makeOrg('Pohjanmaan hyvinvointialue', '3221325-4', '499');
  C = await makeOrg('Kolmas hyvinvointialue', '2082259-7', '179');
  for (const o of [A, B, C]) await trustCoordinator(o);
  dir1 = await build(
    [entry(A), entry(B, { ombudsman: { name: 'Oona Ombudsmanni', phone: '+358 6 218 0000' } }), entry(C)],
    1,
  );
}, 120_000);

describe('one trust decision per organisation', () => {
  it('after importing the directory, A and B exchange a handover and its receipt', async () => {
    for (const o of [A, B, C]) {
      const r = await importDir(o, dir1);
      expect(r.exitCode).toBe(0);
      expect(json<{ added: string[]; sequence: number }>(r.stdout)).toMatchObject({
        sequence: 1,
        added: ['0166906-4', '2082259-7', '3221325-4'],
      });
    }
    const doc = handover(A, B);
    const file = await sendFile(A, doc);
    await as(A, () => registerSent(doc, sha(file), `${doc.id.slice(0, 8)}.handover.json`));
    const imp = await runCommand(Import, [file, '--json'], B.env);
    expect(imp.exitCode).toBe(0);
    const ir = json<ImportResult>(imp.stdout);
    expect(ir.files[0]).toMatchObject({ kind: 'handover', outcome: 'accepted', handoverId: doc.id });
    const back = await runCommand(Import, [ir.files[0]!.receiptFile!, '--json'], A.env);
    expect(back.exitCode).toBe(0);
    expect(json<ImportResult>(back.stdout).files[0]).toMatchObject({ kind: 'receipt', outcome: 'accepted' });

    const list = json<{ trusted: TrustInfo[] }>(
      (await runCommand(TrustList, ['--json'], A.env)).stdout,
    ).trusted;
    expect(list.find((e) => e.businessId === '3221325-4')).toMatchObject({
      source: 'directory',
      directorySequence: 1,
    });
    expect(list.find((e) => e.source === 'directory-signer')?.fingerprint256).toBe(fp(K.certPem));
  });

  it("names the receiving organisation's social welfare ombudsman from the directory in the youth's copy", async () => {
    const file = await sendFile(A, handover(A, B));
    const out = tempDir('handover-letter-');
    const r = await runCommand(Letter, [file, '--out', out, '--youth-copy', '--json'], A.env);
    expect(r.exitCode).toBe(0);
    const copy = readdirSync(out).find((f) => f.endsWith('.youth-copy.pdf'))!;
    const text = execFileSync('pdftotext', ['-layout', join(out, copy), '-'], { encoding: 'utf8' });
    expect(text.replace(/\s+/g, ' ')).toContain('Oona Ombudsmanni');
  });

  it("prints each organisation's name in the letter's language from the directory", async () => {
    const file = await sendFile(A, handover(A, B));
    const out = tempDir('handover-letter-');
    const r = await runCommand(Letter, [file, '--out', out, '--letter-lang', 'sv', '--json'], A.env);
    expect(r.exitCode).toBe(0);
    const letter = readdirSync(out).find((f) => f.endsWith('.cover-letter.pdf'))!;
    const text = execFileSync('pdftotext', [join(out, letter), '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    );
    expect(text).toContain('Pohjanmaan hyvinvointialue (sv)');
    expect(text).toContain('Lähettävä hyvinvointialue (sv)');
  });

  it('seal --to <business ID> encrypts for the organisation the directory lists, and only its key opens it', async () => {
    const plain = await sendFile(A, handover(A, B));
    const r = await runCommand(Seal, [plain, '--to', '3221325-4', '--json'], A.env);
    expect(r.exitCode).toBe(0);
    const out = json<{
      files: { output: string }[];
      recipient: { businessId: string; fingerprint256: string };
    }>(r.stdout);
    expect(out.recipient).toMatchObject({ businessId: '3221325-4', fingerprint256: fp(B.certPem) });
    const opened = await runCommand(
      Open,
      [out.files[0]!.output, '--out', tempDir('handover-opened-'), '--json'],
      B.env,
    );
    expect(opened.exitCode).toBe(0);
    // A holds no key for it: the envelope names B's certificate alone.
    const notOurs = await runCommand(
      Open,
      [out.files[0]!.output, '--out', tempDir('handover-opened-'), '--json'],
      C.env,
    );
    expect(notOurs.exitCode).not.toBe(0);
  });

  it('refuses a replayed or older sequence, a stale one and one changed after signing', async () => {
    const again = await importDir(A, dir1);
    expect(again.exitCode).toBe(1);
    expect(errorCode(again.stdout)).toBe('DIRECTORY_ROLLBACK');

    // A stale directory with a higher sequence, signed by the coordinator's real key.
    const staleDoc = json<Directory>(readFileSync(dir1, 'utf8'));
    const stale = await as(K, async () =>
      signDocument(
        {
          ...staleDoc,
          id: randomUUID(),
          sequence: 50,
          issuedAt: '2026-12-01T00:00:00Z',
          nextUpdate: '2026-12-05T00:00:00Z',
          signature: undefined,
        },
        await loadSigningIdentity(),
      ),
    );
    const staleFile = join(K.dir, 'stale.json');
    writeFileSync(staleFile, JSON.stringify(stale));
    const s = await importDir(A, staleFile);
    expect(s.exitCode).toBe(1);
    expect(errorCode(s.stdout)).toBe('DIRECTORY_STALE');

    // The same directory with one certificate swapped after signing.
    const edited = json<Directory>(readFileSync(dir1, 'utf8'));
    edited.sequence = 60;
    edited.entries[1]!.certificates = [der64(C.certPem)];
    const editedFile = join(K.dir, 'edited.json');
    writeFileSync(editedFile, JSON.stringify(edited));
    const e = await importDir(A, editedFile);
    expect(e.exitCode).toBe(1);
    // The entry names C's organisation under B's business ID: refused before the signature is read.
    expect(errorCode(e.stdout)).toBe('DIRECTORY_ENTRY_MISMATCH');
    const edited2 = json<Directory>(readFileSync(dir1, 'utf8'));
    edited2.sequence = 61;
    const editedFile2 = join(K.dir, 'edited2.json');
    writeFileSync(editedFile2, JSON.stringify(edited2));
    const e2 = await importDir(A, editedFile2);
    expect(e2.exitCode).toBe(1);
    expect(errorCode(e2.stdout)).toBe('DIRECTORY_SIGNATURE');
  });

  it('a new sequence that drops C makes C untrusted, and an entry added by hand survives', async () => {
    // A trusts a fourth organisation by hand, the old way.
    const D = await makeOrg('Neljäs hyvinvointialue', '2650405-5', '837');
    const dPem = join(A.dir, 'd.pem');
    writeFileSync(dPem, D.certPem);
    expect(
      (await runCommand(TrustAdd, [dPem, '--fingerprint', fp(D.certPem), '--name', 'neljas'], A.env))
        .exitCode,
    ).toBe(0);

    const dir2 = await build([entry(A), entry(B)], 2);
    const r = await importDir(A, dir2);
    expect(r.exitCode).toBe(0);
    expect(json<{ removed: string[]; added: string[] }>(r.stdout)).toMatchObject({
      removed: ['2082259-7'],
      added: [],
    });

    const cFile = await sendFile(C, handover(C, A));
    const imp = await runCommand(Import, [cFile, '--json'], A.env);
    expect(imp.exitCode).toBe(1);
    expect(imp.stdout).toContain('SIGNATURE_UNTRUSTED');

    const list = json<{ trusted: TrustInfo[] }>(
      (await runCommand(TrustList, ['--json'], A.env)).stdout,
    ).trusted;
    expect(list.find((e) => e.name === 'neljas')).toMatchObject({ source: 'manual' });
    expect(list.some((e) => e.businessId === '2082259-7')).toBe(false);
    const dFile = await sendFile(D, handover(D, A));
    expect((await runCommand(Import, [dFile, '--json'], A.env)).exitCode).toBe(0);

    // A directory entry cannot be removed by hand: it would come back with the next import.
    const name = list.find((e) => e.businessId === '3221325-4')!.name;
    const rm = await runCommand(TrustRemove, [name, '--json'], A.env);
    expect(rm.exitCode).toBe(1);
    expect(errorCode(rm.stdout)).toBe('TRUST_FROM_DIRECTORY');
  });
});

describe('attacks on the directory', () => {
  it("refuses a directory signed with openssl by a partner's key", async () => {
    const dir = tempDir('handover-partner-key-');
    const { keyPem, certPem } = selfSigned(
      dir,
      '/C=FI/O=Kumppani/organizationIdentifier=NTRFI-1572860-0/CN=Kumppani',
    );
    // The partner is trusted for handovers by hand, and claims to be the coordinator.
    expect(
      (await runCommand(TrustAdd, [join(dir, 'cert.pem'), '--fingerprint', fp(certPem)], B.env)).exitCode,
    ).toBe(0);
    const doc = json<Directory>(readFileSync(dir1, 'utf8'));
    const forged = opensslSign(
      { ...doc, id: randomUUID(), sequence: 100, entries: [entry(A), entry(B)] },
      keyPem,
      certPem,
    );
    const file = join(dir, 'forged.json');
    writeFileSync(file, JSON.stringify(forged));
    const r = await importDir(B, file);
    expect(r.exitCode).toBe(1);
    expect(errorCode(r.stdout)).toBe('DIRECTORY_SIGNATURE');
    expect(json<{ error: { message: string } }>(r.stdout).error.message).toContain('not trusted');
  });

  it("refuses a handover signed with the directory signer's key", async () => {
    const file = await sendFile(K, handover(K, B));
    const r = await runCommand(Import, [file, '--json'], B.env);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('SIGNATURE_UNTRUSTED');
  });

  it('binds a certificate that names no organisation to its entry: it cannot speak for another', async () => {
    const dir = tempDir('handover-unnamed-');
    const { keyPem, certPem } = selfSigned(dir, '/C=FI/O=Nimeton kunta/CN=Nimeton kunta');
    const E = { ...A, name: 'Nimeton kunta', businessId: '7654321-2', certPem };
    const doc = json<Directory>(readFileSync(dir1, 'utf8'));
    const d = await as(K, async () =>
      signDocument(
        {
          ...doc,
          id: randomUUID(),
          sequence: 300,
          entries: [entry(A), entry(B), entry(E)],
          signature: undefined,
        },
        await loadSigningIdentity(),
      ),
    );
    const file = join(dir, 'directory-300.json');
    writeFileSync(file, JSON.stringify(d));
    expect((await importDir(B, file)).exitCode).toBe(0);

    const own = join(dir, 'own.json');
    writeFileSync(own, JSON.stringify(opensslSign(handover(E, B), keyPem, certPem)));
    const ok = await runCommand(Import, [own, '--json'], B.env);
    expect(ok.exitCode).toBe(0);
    expect(json<ImportResult>(ok.stdout).files[0]).toMatchObject({ outcome: 'accepted' });

    const spoof = join(dir, 'spoof.json');
    writeFileSync(spoof, JSON.stringify(opensslSign(handover(A, B), keyPem, certPem)));
    const bad = await runCommand(Import, [spoof, '--json'], B.env);
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('SIGNER_NOT_SENDER');
  });

  it('refuses an entry whose certificate names another organisation, even when the coordinator signed it', async () => {
    const doc = json<Directory>(readFileSync(dir1, 'utf8'));
    const bad = await as(K, async () =>
      signDocument(
        {
          ...doc,
          id: randomUUID(),
          sequence: 200,
          entries: [entry(A), entry(B, { certificates: [der64(C.certPem)] })],
          signature: undefined,
        },
        await loadSigningIdentity(),
      ),
    );
    const file = join(K.dir, 'mismatch.json');
    writeFileSync(file, JSON.stringify(bad));
    const r = await importDir(B, file);
    expect(r.exitCode).toBe(1);
    expect(errorCode(r.stdout)).toBe('DIRECTORY_ENTRY_MISMATCH');
  });
});

describe.skipIf(!requirePostgresInCi())('the directory in an office (PostgreSQL)', () => {
  let pg: PgServer | undefined;
  afterAll(() => pg?.stop());

  it('one worker trusts the coordinator and imports; the other worker accepts the partners; two imports at once do not both win', async () => {
    pg = await startPostgres();
    const url = pg.createDatabase('directory');
    const W = await makeOrg('Toimiston hyvinvointialue', '0201256-6', '091');
    const w1 = { ...W.env, HANDOVER_DATABASE_URL: url };
    const home2 = tempDir('handover-worker2-');
    // The organisation's key (a copy of the file key here, a token in a real office).
    cpSync(join(W.home, 'keys'), join(home2, 'keys'), { recursive: true });
    writeFileSync(join(home2, 'config.json'), JSON.stringify({ defaults: { keyStore: 'file' } }));
    const w2 = { ...W.env, HANDOVER_HOME: home2, HANDOVER_DATABASE_URL: url };
    for (const env of [w1]) {
      const r = await runBin(['config', 'set', 'organization.name', W.name], { env });
      expect(r.exitCode).toBe(0);
      expect(
        (await runBin(['config', 'set', 'organization.businessId', W.businessId], { env })).exitCode,
      ).toBe(0);
    }
    const pem = join(W.dir, 'coordinator.pem');
    writeFileSync(pem, K.certPem);
    const add = await runBin(
      ['trust', 'add', pem, '--fingerprint', fp(K.certPem), '--role', 'directory', '--json'],
      {
        env: w1,
      },
    );
    expect(add.exitCode).toBe(0);
    const dir5 = await build([entry(A), entry(B), entry(W)], 5);
    // Two workers' processes import the same sequence at once: exactly one stores it.
    const [r1, r2] = await Promise.all([
      runBin(['trust', 'import-directory', dir5, '--json'], { env: w1 }),
      runBin(['trust', 'import-directory', dir5, '--json'], { env: w2 }),
    ]);
    expect([r1.exitCode, r2.exitCode].sort()).toEqual([0, 1]);
    expect([r1, r2].find((r) => r.exitCode === 1)!.stdout).toContain('DIRECTORY_ROLLBACK');

    // The second worker never trusted anything itself, yet sees the office's directory.
    const list = json<{ trusted: TrustInfo[] }>(
      (await runBin(['trust', 'list', '--json'], { env: w2 })).stdout,
    ).trusted;
    expect(list.find((e) => e.businessId === A.businessId)).toMatchObject({
      source: 'directory',
      directorySequence: 5,
    });
    expect(list.find((e) => e.source === 'directory-signer')?.fingerprint256).toBe(fp(K.certPem));
    const file = await sendFile(A, handover(A, W));
    const imp = await runBin(['import', file, '--out', W.dir, '--json'], { env: w2 });
    expect(imp.exitCode).toBe(0);
    expect(json<ImportResult>(imp.stdout).files[0]).toMatchObject({ outcome: 'accepted' });
  }, 120_000);

  it("register migrate brings a worker's directory and its signer into the office", async () => {
    pg ??= await startPostgres();
    const url = pg.createDatabase('directorymigrate');
    // B imported directory sequence 1 (and trusts the coordinator) on its own SQLite home.
    const m = await runBin(['register', 'migrate', '--to', url, '--json'], { env: B.env });
    expect(m.exitCode, m.stderr).toBe(0);
    const copied = json<{ directory: { signers: number; sequence: number | null } }>(m.stdout).directory;
    // The newest sequence B took: 300, from the attack test that bound an unnamed certificate.
    expect(copied).toEqual({ signers: 1, sequence: 300 });
    const fresh = { ...B.env, HANDOVER_HOME: tempDir('handover-worker-new-'), HANDOVER_DATABASE_URL: url };
    const list = json<{ trusted: TrustInfo[] }>(
      (await runBin(['trust', 'list', '--json'], { env: fresh })).stdout,
    ).trusted;
    expect(list.find((e) => e.businessId === A.businessId)).toMatchObject({
      source: 'directory',
      directorySequence: 300,
    });
    expect(list.some((e) => e.source === 'directory-signer')).toBe(true);
  }, 120_000);
});
