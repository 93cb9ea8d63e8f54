/**
 * SIGKILL in the middle of imports (the built CLI, killed at random moments, several trials)
 * leaves a sound register consistent with the receipt files. The invariant, from the order
 * "commit the row, then write the file":
 * - after any kill: every receipt file on disk has its register row (same receipt id, same
 *   handover, same SHA-256), and the database passes `PRAGMA integrity_check`;
 * - a row may lack its file only until the same file is imported again, which writes it:
 *   after a final complete run, rows and receipt files correspond one to one.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigningIdentity } from '../../src/keystore/index.js';
import { openRegister, type Register } from '../../src/register/index.js';
import type { SqliteRegister } from '../../src/register/sqlite.js';
import type { Receipt } from '../../src/schema/types.js';
import { importFiles } from '../../src/services/import/index.js';
import { signDocument } from '../../src/signing/jws.js';
import { BIN, ROOT } from '../helpers/cli.js';
import { as, handover, makeOrg, type Org, trustEachOther } from './orgs.js';

const N = 200;
const TRIALS = 5;
let A: Org;
let B: Org;
const files: string[] = [];

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'commands', 'import.js')), 'run `npm run build` first').toBe(true);
  A = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
  B = await makeOrg('Vastaanottaja', '2082259-7', '091');
  await trustEachOther(A, B);
  await as(A, async () => {
    const id = await loadSigningIdentity();
    for (let i = 0; i < N; i++) {
      const p = join(A.dir, `${String(i).padStart(3, '0')}.json`);
      writeFileSync(p, JSON.stringify(await signDocument(handover(A, B), id)));
      files.push(p);
    }
  });
}, 120_000);

/** Spawns the import and kills it a random moment after this run wrote its first receipt. */
function killedImport(afterMs: number): Promise<void> {
  const before = receiptFiles().length;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'import', ...files, '--json'], {
      env: { ...process.env, ...B.env },
      stdio: 'ignore',
    });
    let timer: NodeJS.Timeout | undefined;
    const poll = setInterval(() => {
      if (receiptFiles().length > before) {
        clearInterval(poll);
        timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
      }
    }, 2);
    child.on('close', () => {
      clearInterval(poll);
      clearTimeout(timer);
      resolve();
    });
  });
}

const receiptFiles = () =>
  readdirSync(B.dir)
    .filter((f) => f.endsWith('.receipt.json') && !f.startsWith('.'))
    .map((f) => join(B.dir, f));

/** Opened as the next command would: what the killed import left pending is settled first. */
async function checkInvariant(): Promise<{ rows: number; files: number }> {
  const reg = (await as(B, () => openRegister())) as Register & SqliteRegister;
  try {
    expect(reg.file).toBe(join(B.home, 'register.sqlite'));
    expect(reg.integrityCheck()).toBe('ok');
    const onDisk = receiptFiles();
    for (const f of onDisk) {
      const r = JSON.parse(readFileSync(f, 'utf8')) as Receipt; // a whole file: never half of one
      const row = await reg.getHandover(r.handoverId, 'received');
      expect(row, `row for ${f}`).toBeDefined();
      expect(row!.receiptId).toBe(r.id);
      expect(row!.sha256).toBe(r.handoverSha256);
      expect((await reg.getReceipt(r.id))?.fileName).toBe(f.slice(B.dir.length + 1));
    }
    const rows = await reg.list({ direction: 'received' });
    for (const row of rows) expect((await reg.getReceipt(row.receiptId!))?.handoverId).toBe(row.id);
    return { rows: rows.length, files: onDisk.length };
  } finally {
    await reg.close();
  }
}

describe('SIGKILL during import', () => {
  it('never leaves a receipt without its row, and a rerun completes the register', async () => {
    const seen: { rows: number; files: number }[] = [];
    for (let t = 0; t < TRIALS; t++) {
      await killedImport(Math.floor(Math.random() * 150));
      if (existsSync(join(B.home, 'register.sqlite'))) seen.push(await checkInvariant());
    }
    expect(seen).toHaveLength(TRIALS);
    // The kills landed inside the batch, not only before or after it.
    expect(seen.some((x) => x.rows > 0 && x.rows < N)).toBe(true);
    const r = await as(B, () => importFiles({ files, lang: 'en' }));
    expect(r.exit).toBe(0);
    expect(r.summary.accepted + r.summary.duplicate).toBe(N);
    expect(await checkInvariant()).toEqual({ rows: N, files: N });
    const hashes = new Set(files.map((f) => createHash('sha256').update(readFileSync(f)).digest('hex')));
    for (const f of receiptFiles())
      expect(hashes.has((JSON.parse(readFileSync(f, 'utf8')) as Receipt).handoverSha256)).toBe(true);
  }, 240_000);
});
