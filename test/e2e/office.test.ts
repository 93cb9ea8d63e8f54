/**
 * An office, not a laptop (SPEC §11), with real processes on a real PostgreSQL server: one
 * worker moves their SQLite register, trust store, audit log and the organisation's profile
 * into the office's database with `register migrate`; a second worker (another
 * HANDOVER_HOME, same organisation) joins; four `import` processes, two per worker, take the
 * same 200 signed handovers at once. Every handover is accepted exactly once with one
 * receipt, the office's audit chain verifies, and a receipt that the second worker imports
 * marks the first worker's sent handover acknowledged for both.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Receipt } from '../../src/schema/types.js';
import { ROOT, runBin, tempDir } from '../helpers/cli.js';
import { type PgServer, requirePostgresInCi, startPostgres } from '../helpers/postgres.js';
import { as, handover, makeOrg, type Org, sendFile, trustEachOther } from '../register/orgs.js';

const FILES = 200;
const withPg = requirePostgresInCi();
let pg: PgServer | undefined;
let url = '';
let P: Org; // the partner that sends to the office (a worker on their own, SQLite)
let W1: Org; // the office's first worker
let W2: Record<string, string>; // the second worker's environment
let shared = '';
const files: string[] = [];

const json = (s: string) => JSON.parse(s) as Record<string, unknown>;

beforeAll(async () => {
  if (!withPg) return;
  expect(existsSync(join(ROOT, 'dist', 'commands', 'import.js')), 'run `node scripts/build.mjs` first').toBe(
    true,
  );
  pg = await startPostgres();
  url = pg.createDatabase('office');
  P = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
  W1 = await makeOrg('Vastaanottava hyvinvointialue', '2082259-7', '091');
  await trustEachOther(P, W1);
  for (let i = 0; i < FILES; i++)
    files.push(await sendFile(P, handover(P, W1), `${String(i).padStart(3, '0')}.json`));
  // The second worker: their own home with their own contact and defaults; the organisation's
  // key (a copy of the file key here, a token in a real office) and nothing else.
  const home2 = tempDir('handover-worker2-');
  cpSync(join(W1.home, 'keys'), join(home2, 'keys'), { recursive: true });
  writeFileSync(
    join(home2, 'config.json'),
    JSON.stringify({
      contact: { name: 'Toinen Työntekijä', email: 'toinen@example.fi' },
      defaults: { keyStore: 'file' },
    }),
  );
  W2 = { ...W1.env, HANDOVER_HOME: home2 };
  shared = tempDir('handover-office-in-');
}, 180_000);

afterAll(() => pg?.stop());

describe.skipIf(!withPg)('an office of two workers on one PostgreSQL database', () => {
  it('moves the first worker in with register migrate, leaving the SQLite file untouched', async () => {
    // Something in the worker's own register and audit log first.
    const first = await runBin(['import', files[0]!, '--out', W1.dir, '--json'], { env: W1.env });
    expect(first.exitCode, first.stderr).toBe(0);
    const sqlite = join(W1.home, 'register.sqlite');
    const before = createHash('sha256').update(readFileSync(sqlite)).digest('hex');
    const m = await runBin(['register', 'migrate', '--to', url, '--json'], { env: W1.env });
    expect(m.exitCode, m.stderr).toBe(0);
    const r = json(m.stdout);
    expect(r).toMatchObject({
      handovers: { copied: 1, already: 0 },
      receipts: { copied: 1 },
      trust: { copied: 1 },
      profile: 'copied',
      conflicts: [],
    });
    expect((r.audit as { verified: boolean; lines: number }).verified).toBe(true);
    expect(createHash('sha256').update(readFileSync(sqlite)).digest('hex')).toBe(before);
    // Again: nothing is copied twice.
    const again = json(
      (await runBin(['register', 'migrate', '--to', url, '--json'], { env: W1.env })).stdout,
    );
    expect(again).toMatchObject({ handovers: { copied: 0, already: 1 }, trust: { copied: 0, already: 1 } });
    for (const env of [W1.env, W2]) {
      const s = await runBin(['config', 'set', 'register.url', url], { env });
      expect(s.exitCode, s.stderr).toBe(0);
    }
    // The second worker sees the organisation's profile and trust store without having set them.
    const org = await runBin(['config', 'get', 'organization.businessId'], { env: W2 });
    expect(org.stdout.trim()).toBe(W1.businessId);
    const trusted = json((await runBin(['trust', 'list', '--json'], { env: W2 })).stdout);
    const { X509Certificate } = await import('node:crypto');
    expect(JSON.stringify(trusted)).toContain(new X509Certificate(P.certPem).fingerprint256);
  }, 120_000);

  it('four processes import the same 200 handovers at once: each accepted once, one receipt each', async () => {
    const orders = [files, [...files].reverse(), files, [...files].reverse()];
    const envs = [W1.env, W1.env, W2, W2];
    const runs = await Promise.all(
      orders.map((fs, i) =>
        runBin(['import', ...fs, '--out', shared, '--json'], { env: envs[i]!, timeoutMs: 240_000 }),
      ),
    );
    for (const r of runs) {
      expect(r.stderr).not.toMatch(/INTERNAL|at .*\.js:\d+/);
      expect(r.exitCode, r.stderr.slice(0, 500)).toBe(0);
    }
    const receipts = readdirSync(shared)
      .filter((f) => f.endsWith('.receipt.json'))
      .map((f) => json(readFileSync(join(shared, f), 'utf8')) as unknown as Receipt);
    // One receipt per handover. files[0] was accepted before the office existed: its receipt,
    // missing from this folder, is written again with the id it had (not a second answer).
    expect(receipts).toHaveLength(FILES);
    const ids = new Set(receipts.map((r) => r.handoverId));
    expect(ids.size).toBe(FILES);
    const firstId = (json(readFileSync(files[0]!, 'utf8')) as { id: string }).id;
    const original = readdirSync(W1.dir)
      .filter((f) => f.endsWith('.receipt.json'))
      .map((f) => json(readFileSync(join(W1.dir, f), 'utf8')) as unknown as Receipt);
    expect(receipts.find((r) => r.handoverId === firstId)?.id).toBe(original[0]?.id);
    expect(receipts.every((r) => r.outcome === 'accepted')).toBe(true);
    expect(readdirSync(shared).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    // Per file: one process accepted it, the three others found it a duplicate.
    const outcomes = runs.flatMap((r) =>
      (json(r.stdout).files as { outcome: string }[]).map((f) => f.outcome),
    );
    expect(outcomes.filter((o) => o === 'accepted')).toHaveLength(FILES - 1);
    expect(outcomes.filter((o) => o === 'duplicate')).toHaveLength(FILES * 4 - (FILES - 1));
    const list = json((await runBin(['register', 'list', '--json'], { env: W2 })).stdout);
    const rows = (list.entries as { direction: string; status: string }[]).filter(
      (e) => e.direction === 'received',
    );
    expect(rows).toHaveLength(FILES);
    expect(rows.every((e) => e.status === 'accepted')).toBe(true);
    // One audit chain for the office, unforked, naming who acted; the first worker's old log
    // is a chain of its own.
    const audit = await runBin(['audit', '--verify', '--json'], { env: W1.env });
    expect(audit.exitCode, audit.stdout.slice(0, 800)).toBe(0);
    const a = json(audit.stdout) as {
      entries: { event: string; outcome: string; user: string }[];
      verification: { ok: boolean; chains?: unknown[] };
    };
    expect(a.verification.ok).toBe(true);
    expect(a.verification.chains).toHaveLength(2);
    expect(a.entries.filter((e) => e.event === 'import' && e.outcome === 'accepted')).toHaveLength(FILES - 1);
    for (const e of a.entries) expect(e.user).toMatch(/\S/);
  }, 300_000);

  it('a receipt imported by one worker marks the other worker’s sent handover acknowledged', async () => {
    // The first worker sends a handover to the partner (registered as sent in the office).
    const doc = handover(W1, P);
    const path = await sendFile(W1, doc);
    await as(W1, async () => {
      const { registerSent } = await import('../../src/register/sent.js');
      const saved = process.env.HANDOVER_DATABASE_URL;
      process.env.HANDOVER_DATABASE_URL = url;
      try {
        await registerSent(
          doc,
          createHash('sha256').update(readFileSync(path)).digest('hex'),
          'x.handover.json',
        );
      } finally {
        if (saved === undefined) delete process.env.HANDOVER_DATABASE_URL;
        else process.env.HANDOVER_DATABASE_URL = saved;
        const { shutdownRegisters } = await import('../../src/register/index.js');
        await shutdownRegisters();
      }
    });
    const inbox = tempDir('handover-partner-in-');
    mkdirSync(inbox, { recursive: true });
    const atP = await runBin(['import', path, '--out', inbox, '--json'], { env: P.env });
    expect(atP.exitCode, atP.stderr).toBe(0);
    const receipt = readdirSync(inbox).find((f) => f.endsWith('.receipt.json'))!;
    // Both workers import the partner's receipt at the same moment: decided one after the other.
    const backs = await Promise.all(
      [W1.env, W2].map((env) => runBin(['import', join(inbox, receipt), '--json'], { env })),
    );
    for (const b of backs) expect(b.exitCode, b.stdout.slice(0, 500)).toBe(0);
    const got = backs.map((b) => (json(b.stdout).files as { outcome: string }[])[0]!.outcome).sort();
    expect(got).toEqual(['accepted', 'duplicate']);
    for (const env of [W1.env, W2]) {
      const l = json((await runBin(['register', 'list', '--json'], { env })).stdout);
      const sent = (l.entries as { id: string; direction: string; status: string }[]).find(
        (e) => e.id === doc.id && e.direction === 'sent',
      );
      expect(sent?.status).toBe('acknowledged');
    }
  }, 120_000);

  it('shares the profile and the trust store: what one worker sets, the other uses', async () => {
    const set = await runBin(['config', 'set', 'signatory.name', 'Paula Päällikkö', '--json'], { env: W2 });
    expect(set.exitCode, set.stdout).toBe(0);
    const got = await runBin(['config', 'get', 'signatory.name'], { env: W1.env });
    expect(got.stdout.trim()).toBe('Paula Päällikkö');
    // Each worker's contact stays their own.
    expect((await runBin(['config', 'get', 'contact.name'], { env: W2 })).stdout.trim()).toBe(
      'Toinen Työntekijä',
    );
    expect((await runBin(['config', 'get', 'contact.name'], { env: W1.env })).stdout.trim()).not.toBe(
      'Toinen Työntekijä',
    );
    // The office's trust store reaches validate's worker threads and verify too.
    // (A folder of 200 files: more than validate checks in its own thread.)
    const v = await runBin(['validate', '--verify-signatures', P.dir, '--json'], { env: W2 });
    expect(v.exitCode, v.stdout.slice(0, 600)).toBe(0);
    const ver = await runBin(['verify', files[3]!, '--json'], { env: W2 });
    expect(ver.exitCode, ver.stdout.slice(0, 600)).toBe(0);
    const C = await makeOrg('Kolmas kunta', '1572860-0', '837');
    const { X509Certificate } = await import('node:crypto');
    const fp = new X509Certificate(C.certPem).fingerprint256;
    const pem = join(tempDir('handover-cert-'), 'c.pem');
    writeFileSync(pem, C.certPem);
    const add = await runBin(['trust', 'add', pem, '--fingerprint', fp, '--json'], { env: W2 });
    expect(add.exitCode, add.stdout).toBe(0);
    expect((await runBin(['trust', 'list', '--json'], { env: W1.env })).stdout).toContain(fp);
    const rm = await runBin(['trust', 'remove', fp, '--json'], { env: W1.env });
    expect(rm.exitCode, rm.stdout).toBe(0);
    expect((await runBin(['trust', 'list', '--json'], { env: W2 })).stdout).not.toContain(fp);
  }, 120_000);

  it('a third worker whose register holds another file under an office id: reported, never overwritten', async () => {
    const W3 = await makeOrg('Vastaanottava hyvinvointialue', W1.businessId, '091');
    await as(W3, async () => {
      const { addTrusted } = await import('../../src/signing/trust.js');
      addTrusted(P.certPem);
    });
    const original = json(readFileSync(files[1]!, 'utf8')) as { id: string; signature?: unknown };
    const { signature: _, ...doc } = original;
    const other = await sendFile(
      P,
      { ...(doc as never), notes: 'Toinen versio samalla tunnisteella.' },
      'other.json',
    );
    const imp = await runBin(['import', other, '--out', W3.dir, '--json'], { env: W3.env });
    expect(imp.exitCode, imp.stdout.slice(0, 400)).toBe(0);
    const officeRow = async () =>
      (
        json((await runBin(['register', 'list', '--json'], { env: W1.env })).stdout).entries as {
          id: string;
          direction: string;
          sha256: string;
        }[]
      ).find((e) => e.id === original.id && e.direction === 'received');
    const before = await officeRow();
    const m = await runBin(['register', 'migrate', '--to', url, '--json'], { env: W3.env });
    expect(m.exitCode).toBe(1);
    const err = json(m.stdout).error as { code: string; details: { pointer: string }[] };
    expect(err.code).toBe('REGISTER_MIGRATE_CONFLICT');
    expect(err.details.map((d) => d.pointer).join(' ')).toContain(original.id);
    expect((await officeRow())?.sha256).toBe(before?.sha256);
  }, 120_000);

  it('exits 4 naming the database when it cannot be reached, without hanging', async () => {
    // A password in the address never reaches the output.
    const down = url.replace(/:(\d+)\//, ':1/').replace('postgres@', 'postgres:s3cret-pw@');
    const r = await runBin(['register', 'list', '--json'], {
      env: { ...W2, HANDOVER_DATABASE_URL: down },
      timeoutMs: 30_000,
    });
    expect(r.exitCode).toBe(4);
    expect(json(r.stdout)).toMatchObject({ error: { code: 'REGISTER_UNAVAILABLE' } });
    expect(r.stdout + r.stderr).not.toContain('s3cret-pw');
    // A worker can still correct the address while the database is down.
    const fix = await runBin(['config', 'set', 'register.url', url], {
      env: { ...W2, HANDOVER_DATABASE_URL: down },
      timeoutMs: 30_000,
    });
    expect(fix.exitCode, fix.stdout).toBe(0);
  }, 60_000);
});
