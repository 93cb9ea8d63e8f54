/**
 * The log of use and disclosure and the youth's right to know (act 703/2023 10-11 §, SPEC §12),
 * through the built CLI. Two youths (the first with two identity codes: a temporary one later
 * replaced), four handovers from two organisations: a worker on SQLite sends two, and two
 * workers of an office on PostgreSQL send two at the same moment. `register disclosures` for
 * each youth, with every code they have had, lists exactly that youth's disclosures; an
 * unknown youth gets "none". Neither the SQLite files, the office's tables, the audit chains
 * nor any output holds an identity code or its plain SHA-256. Then `register purge` removes
 * only events past their 12 years, and the audit chain still verifies and names the purge.
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CliResult, ROOT, runBin, tempDir } from '../helpers/cli.js';
import { type PgServer, requirePostgresInCi, startPostgres } from '../helpers/postgres.js';

const withPg = requirePostgresInCi();
let pg: PgServer | undefined;
let officeUrl = '';

const CHECK = '0123456789ABCDEFHJKLMNPRSTUVWXY';
/** A valid identity code of the 2000s (sign A) with an individual number 900-999 (invented people). */
const hetu = (ddmmyy: string, n: number): string => `${ddmmyy}A${n}${CHECK[Number(`${ddmmyy}${n}`) % 31]}`;
const Y1_TEMP = hetu('020506', 951);
const Y1_LATER = hetu('020506', 957);
const Y2 = hetu('150707', 963);
const NOBODY = hetu('010108', 975);
const CODES = [Y1_TEMP, Y1_LATER, Y2, NOBODY];

const outputs: CliResult[] = [];
const run = async (args: string[], env: Record<string, string>, input?: string): Promise<CliResult> => {
  const r = await runBin(args, {
    env: { HANDOVER_LANG: 'en', ...env },
    ...(input !== undefined ? { input } : {}),
  });
  outputs.push(r);
  return r;
};

const worker = { HANDOVER_HOME: tempDir('handover-disc-a-') };
const office1 = { HANDOVER_HOME: tempDir('handover-disc-o1-') } as Record<string, string>;
const office2 = { HANDOVER_HOME: tempDir('handover-disc-o2-') } as Record<string, string>;
const out = tempDir('handover-disc-out-');
const sent: Record<string, string> = {};

/** A complete draft about one youth, with a fresh id. */
function draft(name: string, code: string, given: string, birthDate: string): string {
  const d = JSON.parse(readFileSync(join(ROOT, 'templates', 'examples', 'aftercare.handover.json'), 'utf8'));
  d.id = randomUUID();
  d.youth.personalIdentityCode = code;
  d.youth.name = { given, family: 'Kuvitteellinen' };
  d.youth.birthDate = birthDate;
  const f = join(tempDir('handover-disc-draft-'), `${name}.json`);
  writeFileSync(f, JSON.stringify(d));
  sent[name] = d.id;
  return f;
}

async function send(
  name: string,
  code: string,
  given: string,
  birthDate: string,
  env: Record<string, string>,
) {
  const r = await run(
    [
      'new',
      '--answers',
      draft(name, code, given, birthDate),
      '--no-interactive',
      '--no-sign',
      '--out',
      out,
      '--json',
    ],
    env,
  );
  expect(r.exitCode, r.stderr).toBe(0);
}

async function lookup(env: Record<string, string>, codes: string[]): Promise<string[]> {
  const r = await run(['register', 'disclosures', '--json'], env, `${codes.join(' ')}\n`);
  expect(r.exitCode, r.stderr).toBe(0);
  const res = JSON.parse(r.stdout) as { disclosures: { documentId: string; action: string }[] };
  return res.disclosures.map((d) => d.documentId).sort();
}

beforeAll(async () => {
  if (!withPg) return;
  pg = await startPostgres();
  officeUrl = pg.createDatabase('disclosures');
  office1.HANDOVER_DATABASE_URL = officeUrl;
  office2.HANDOVER_DATABASE_URL = officeUrl;
  await send('a1', Y1_TEMP, 'Aino', '2006-05-02', worker);
  await send('a2', Y2, 'Eero', '2007-07-15', worker);
  // Two workers of the office at the same moment: the office's secret is made once, both use it.
  await Promise.all([
    send('o1', Y1_LATER, 'Aino', '2006-05-02', office1),
    send('o2', Y2, 'Eero', '2007-07-15', office2),
  ]);
  // A use, not a disclosure: it must not be listed.
  const shown = readdirSync(out).find((f) => f.startsWith('2026') && f.endsWith('.handover.json'));
  // Not searched below: `show` exists to print the document, identity code included.
  expect((await runBin(['show', join(out, shown!)], { env: worker })).exitCode).toBe(0);
}, 180_000);
afterAll(() => pg?.stop());

describe.runIf(withPg)('register disclosures', () => {
  it("lists exactly each youth's disclosures, with every code they have had, on SQLite and in the office", async () => {
    expect(await lookup(worker, [Y1_TEMP, Y1_LATER])).toEqual([sent.a1]);
    expect(await lookup(worker, [Y2])).toEqual([sent.a2]);
    expect(await lookup(office1, [Y1_TEMP, Y1_LATER])).toEqual([sent.o1]);
    expect(await lookup(office2, [Y2])).toEqual([sent.o2]);
    // The temporary code alone finds nothing in the office, whose handover used the later one.
    expect(await lookup(office1, [Y1_TEMP])).toEqual([]);
    const none = await run(['register', 'disclosures'], worker, NOBODY);
    expect(none.exitCode).toBe(0);
    expect(none.stdout.trim()).toBe("No disclosures of this youth's data to others are in the register.");
    const human = await run(['register', 'disclosures', '--lang', 'fi'], worker, `${Y1_TEMP}, ${Y1_LATER}`);
    expect(human.stdout).toContain('Tämän nuoren tietojen luovutukset muille: 1');
    expect(human.stdout).toContain(sent.a1);
  });

  it('never takes a code as an argument, and names a bad code by its place only', async () => {
    const arg = await run(['register', 'disclosures', Y2, '--json'], worker, '');
    expect(arg.exitCode).toBe(2);
    expect(JSON.parse(arg.stdout).error.code).toBe('IDENTITY_CODE_AS_ARGUMENT');
    const bad = await run(['register', 'disclosures', '--json'], worker, `${Y2} 020506A951X`);
    expect(bad.exitCode).toBe(1);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'IDENTITY_CODE_INVALID', exit: 1 });
    expect(bad.stdout).toContain('number 2');
    const empty = await run(['register', 'disclosures', '--json'], worker, '');
    expect(JSON.parse(empty.stdout).error.code).toBe('IDENTITY_CODE_MISSING');
  });

  it("register migrate brings the worker's log and its secret into the office: one look-up finds both", async () => {
    const m = await run(['register', 'migrate', '--to', officeUrl, '--json'], worker);
    expect(m.exitCode, m.stderr).toBe(0);
    expect(JSON.parse(m.stdout).disclosureLog.secrets).toBe(1);
    expect(await lookup(office1, [Y1_TEMP, Y1_LATER])).toEqual([sent.a1, sent.o1].sort());
    expect(await lookup(office2, [Y2])).toEqual([sent.a2, sent.o2].sort());
  });

  it('no identity code nor its plain SHA-256 in the registers, the office tables, the audit chains or any output', async () => {
    const needles: Buffer[] = [];
    for (const c of CODES)
      for (const s of [c, `hetu:${c}`]) {
        needles.push(Buffer.from(s));
        const h = createHash('sha256').update(s).digest('hex');
        needles.push(Buffer.from(h), Buffer.from(h.toUpperCase()), createHash('sha256').update(s).digest());
      }
    const leaks: string[] = [];
    const search = (what: string, bytes: Buffer) => {
      for (const n of needles)
        if (bytes.includes(n)) leaks.push(`${what}: ${n.toString('utf8').slice(0, 16)}`);
    };
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((n) => {
        const p = join(dir, n);
        return statSync(p).isDirectory() ? walk(p) : [p];
      });
    for (const home of [worker.HANDOVER_HOME, office1.HANDOVER_HOME, office2.HANDOVER_HOME])
      for (const f of walk(home)) search(f, readFileSync(f));
    const { Client } = createRequire(import.meta.url)('pg') as typeof import('pg');
    const db = new Client({ connectionString: officeUrl });
    await db.connect();
    try {
      const tables = (
        await db.query("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'")
      ).rows.map((r) => String(r.table_name));
      expect(tables).toEqual(expect.arrayContaining(['disclosure_log', 'audit_entries', 'youth_keys']));
      for (const t of tables) {
        const rows = await db.query(`SELECT row_to_json(x)::text AS j FROM "${t}" x`);
        search(`table ${t}`, Buffer.from(rows.rows.map((r) => String(r.j)).join('\n')));
      }
      // The office logged both of its workers' disclosures under one secret; the migrated
      // worker's under its own.
      const keys = await db.query("SELECT DISTINCT key_id FROM disclosure_log WHERE action = 'sent'");
      expect(keys.rows).toHaveLength(2);
    } finally {
      await db.end();
    }
    outputs.forEach((o, i) => {
      search(`output ${i} stdout`, Buffer.from(o.stdout));
      search(`output ${i} stderr`, Buffer.from(o.stderr));
    });
    expect(leaks).toEqual([]);
    expect(outputs.length).toBeGreaterThan(10);
  });
});

describe.runIf(withPg)('register purge', () => {
  it('removes only events past their 12 years; the audit chain verifies and names the purge', async () => {
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    const file = join(worker.HANDOVER_HOME, 'register.sqlite');
    const db = new Database(file);
    const before = db.prepare('SELECT count(*) AS n FROM disclosure_log').get() as { n: number };
    // One event aged past its period (the register keeps no way to make one that old).
    db.prepare(
      "UPDATE disclosure_log SET at = '2013-01-02T10:00:00.000Z' WHERE document_id = ? AND action = 'sent'",
    ).run(sent.a2);
    db.close();
    const dry = await run(['register', 'purge', '--dry-run', '--json'], worker);
    expect(dry.exitCode, dry.stderr).toBe(0);
    expect(JSON.parse(dry.stdout).events).toMatchObject({ count: 1, first: '2013-01-02T10:00:00.000Z' });
    const count = () =>
      (
        new Database(file, { readonly: true }).prepare('SELECT count(*) AS n FROM disclosure_log').get() as {
          n: number;
        }
      ).n;
    expect(count()).toBe(before.n); // the dry run changed nothing
    const done = await run(['register', 'purge', '--json', '--handover', sent.a1!], worker);
    expect(done.exitCode, done.stderr).toBe(0);
    const res = JSON.parse(done.stdout);
    expect(res.events.count).toBe(1);
    expect(res.handovers).toEqual([{ id: sent.a1, rows: 1 }]);
    expect(await lookup(worker, [Y2])).toEqual([]);
    const audit = await run(['audit', '--verify', '--json'], worker);
    expect(audit.exitCode, audit.stderr).toBe(0);
    const purges = (
      JSON.parse(audit.stdout).entries as {
        event: string;
        sha256: string | null;
        handoverId: string | null;
      }[]
    ).filter((e) => e.event === 'purge');
    expect(purges.map((p) => p.handoverId ?? p.sha256)).toEqual([sent.a1, res.events.sha256]);
    const list = await run(['register', 'list', '--json'], worker);
    expect(JSON.parse(list.stdout).entries.map((e: { id: string }) => e.id)).toEqual([sent.a2]);
  });
});
