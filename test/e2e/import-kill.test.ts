/**
 * Issue 16, item 6: SIGKILL during imports left rows without an audit entry (8 of 1,000
 * accepted handovers never logged). 50 trials of the built CLI importing fresh signed files,
 * each killed at a random moment of its run; then the next command (`audit --verify`)
 * settles what the kills left. Afterwards: the chain verifies, every handover row has its
 * import entry, every receipt row its file, and no temporary receipt stays.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigningIdentity } from '../../src/keystore/index.js';
import { SqliteRegister } from '../../src/register/sqlite.js';
import { signDocument } from '../../src/signing/jws.js';
import { BIN, ROOT, runBin, tempDir } from '../helpers/cli.js';
import { as, handover, makeOrg, type Org, trustEachOther } from '../register/orgs.js';

const TRIALS = 50;
const BATCH = 3;
let A: Org;
let B: Org;
const batches: string[][] = [];

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'commands', 'import.js')), 'run `node scripts/build.mjs` first').toBe(
    true,
  );
  A = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
  B = await makeOrg('Vastaanottaja', '2082259-7', '091');
  await trustEachOther(A, B);
  const inbox = tempDir('handover-kill-in-');
  await as(A, async () => {
    const key = await loadSigningIdentity();
    for (let i = 0; i <= TRIALS; i++) {
      const batch: string[] = [];
      for (let j = 0; j < BATCH; j++) {
        const p = join(inbox, `${i}-${j}.json`);
        writeFileSync(p, JSON.stringify(await signDocument(handover(A, B), key)));
        batch.push(p);
      }
      batches.push(batch);
    }
  });
}, 180_000);

function importKilled(
  files: string[],
  afterMs: number | undefined,
): Promise<{ ms: number; killed: boolean }> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [BIN, 'import', ...files, '--out', B.dir], {
      env: { ...process.env, ...B.env },
      stdio: 'ignore',
    });
    let killed = false;
    const t =
      afterMs === undefined
        ? undefined
        : setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, afterMs);
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      if (t) clearTimeout(t);
      resolve({ ms: Date.now() - start, killed: killed && signal === 'SIGKILL' });
    });
  });
}

/** The audit entries committed with their rows and not yet logged (the register keeps no reader of them). */
function outbox(file: string): unknown[] {
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof import('better-sqlite3');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT * FROM audit_outbox ORDER BY id').all();
  } finally {
    db.close();
  }
}

describe('kill -9 during imports, 50 trials', () => {
  it('leaves rows, receipts and the audit log agreeing once the next command ran', async () => {
    const full = await importKilled(batches[TRIALS]!, undefined);
    let killed = 0;
    for (let i = 0; i < TRIALS; i++) {
      const r = await importKilled(batches[i]!, Math.floor(Math.random() * full.ms));
      if (r.killed) killed++;
    }
    const v = await runBin(['audit', '--verify', '--json'], { env: B.env });
    const audit = JSON.parse(v.stdout) as {
      entries: { event: string; handoverId: string | null; outcome: string }[];
      verification: { ok: boolean; problems: unknown[] };
    };
    expect(audit.verification.problems).toEqual([]);
    const file = join(B.home, 'register.sqlite');
    const reg = SqliteRegister.open(file);
    try {
      const rows = await reg.list({ direction: 'received' });
      const logged = new Set(audit.entries.filter((e) => e.event === 'import').map((e) => e.handoverId));
      const unlogged = rows.filter((r) => !logged.has(r.id));
      const files = readdirSync(B.dir);
      const missing = (await reg.receipts('issued')).filter((r) => !files.includes(r.fileName ?? ''));
      if (process.env.HANDOVER_TEST_FIGURES)
        console.log(
          `kill -9: ${TRIALS} trials, ${killed} killed (run ${full.ms} ms), ${rows.length} rows, ${unlogged.length} without audit entry, ${missing.length} receipts without file`,
        );
      expect(killed).toBeGreaterThan(0);
      expect(unlogged).toEqual([]);
      expect(missing).toEqual([]);
      expect(await reg.pendingFiles()).toEqual([]);
      expect(outbox(file)).toEqual([]);
      for (const f of files.filter((n) => n.endsWith('.receipt.json'))) {
        const r = JSON.parse(readFileSync(join(B.dir, f), 'utf8')) as { id: string };
        expect((await reg.getReceipt(r.id))?.fileName, f).toBe(f);
      }
    } finally {
      await reg.close();
    }
  }, 400_000);
});
