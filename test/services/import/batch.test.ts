/**
 * The group commit of a batch import: every job of a group is committed or refused on its
 * own (savepoints), a receipt file is written only after its row is committed, and the audit
 * entries of a group form one valid chain in submission order.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HandoverError } from '../../../src/core/errors.js';
import { verifyAuditText } from '../../../src/register/audit-verify.js';
import type { RegisterRows } from '../../../src/register/repository.js';
import { SqliteRegister } from '../../../src/register/sqlite.js';
import { ImportCommitter } from '../../../src/services/import/commit.js';
import { auditText } from '../../helpers/audit.js';
import { tempDir } from '../../helpers/cli.js';

let saved: string | undefined;
let reg: SqliteRegister;
let out: string;

beforeEach(() => {
  saved = process.env.HANDOVER_HOME;
  const home = tempDir('handover-batch-');
  process.env.HANDOVER_HOME = home;
  reg = SqliteRegister.open(join(home, 'register.sqlite'));
  out = tempDir('handover-batch-out-');
});
afterEach(async () => {
  await reg.close();
  if (saved === undefined) delete process.env.HANDOVER_HOME;
  else process.env.HANDOVER_HOME = saved;
});

const withdrawal = (id: string) => (tx: RegisterRows) =>
  tx.putWithdrawal({
    id,
    direction: 'received',
    handoverId: randomUUID(),
    withdrawnAt: '2026-03-02T10:00:00Z',
    senderBusinessId: '0166906-4',
    sha256: null,
    fileName: null,
  });

describe('ImportCommitter', () => {
  it('commits each job of a group on its own: a failing one changes and writes nothing', async () => {
    const c = new ImportCommitter(reg);
    const ids = Array.from({ length: 6 }, () => randomUUID());
    const outcomes = await Promise.allSettled(
      ids.map((id, i) =>
        c.commit({
          apply:
            i === 3
              ? async (tx) => {
                  await withdrawal(id)(tx);
                  throw new Error('refused after a change');
                }
              : withdrawal(id),
          write: { target: join(out, `${i}.receipt.json`), data: `{"n":${i}}\n`, receiptId: id },
        }),
      ),
    );
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'fulfilled',
      'fulfilled',
      'rejected',
      'fulfilled',
      'fulfilled',
    ]);
    for (const [i, id] of ids.entries())
      expect((await reg.getWithdrawal(id)) !== undefined, `row ${i}`).toBe(i !== 3);
    expect(readdirSync(out).sort()).toEqual(['0', '1', '2', '4', '5'].map((n) => `${n}.receipt.json`));
    expect(readFileSync(join(out, '5.receipt.json'), 'utf8')).toBe('{"n":5}\n');
    expect(statSync(join(out, '5.receipt.json')).mode & 0o777).toBe(0o600);
  });

  it('takes the next free name on a collision and records it in the row; never replaces a file', async () => {
    const c = new ImportCommitter(reg);
    writeFileSync(join(out, '20261120-aaaaaaaa.receipt.json'), 'someone else');
    const receipt = (id: string) => (tx: RegisterRows) =>
      tx.putReceipt({
        id,
        direction: 'issued',
        handoverId: randomUUID(),
        handoverSha256: 'a'.repeat(64),
        receivedAt: '2026-11-20T10:00:00Z',
        outcome: 'accepted',
        reasons: [],
        receiverBusinessId: '2082259-7',
        sha256: null,
        fileName: '20261120-aaaaaaaa.receipt.json',
      });
    const [a, b] = [randomUUID(), randomUUID()];
    const target = join(out, '20261120-aaaaaaaa.receipt.json');
    const r = await Promise.all([
      c.commit({ apply: receipt(a), write: { target, data: 'x', receiptId: a } }),
      c.commit({ apply: receipt(b), write: { target, data: 'y', receiptId: b } }),
    ]);
    expect(r.map((x) => x.committed)).toEqual([true, true]);
    expect(readFileSync(target, 'utf8')).toBe('someone else');
    const names = r.map((x) => x.file!.slice(out.length + 1)).sort();
    expect(names).toEqual(['20261120-aaaaaaaa-2.receipt.json', '20261120-aaaaaaaa-3.receipt.json']);
    for (const [id, x] of [
      [a, r[0]!],
      [b, r[1]!],
    ] as const)
      expect(join(out, (await reg.getReceipt(id))!.fileName!)).toBe(x.file);
    expect(await reg.pendingFiles()).toEqual([]);
  });

  it('commits no row when its receipt cannot be written, and leaves no temporary file', async () => {
    const c = new ImportCommitter(reg);
    writeFileSync(join(out, 'not-a-folder'), '');
    const [a, b] = [randomUUID(), randomUUID()];
    const r = await Promise.allSettled([
      c.commit({
        apply: withdrawal(a),
        write: { target: join(out, 'not-a-folder', 'r.json'), data: 'x', receiptId: a },
      }),
      c.commit({ apply: withdrawal(b), write: { target: join(out, 'free.json'), data: 'y', receiptId: b } }),
    ]);
    expect(r.map((x) => x.status)).toEqual(['rejected', 'fulfilled']);
    expect(((r[0] as PromiseRejectedResult).reason as HandoverError).exit).toBe(5);
    expect(await reg.getWithdrawal(a)).toBeUndefined();
    expect(await reg.getWithdrawal(b)).toBeDefined();
    expect(readdirSync(out).sort()).toEqual(['free.json', 'not-a-folder']);
    expect(await reg.pendingFiles()).toEqual([]);
  });

  it('writes nothing for a job whose decision no longer holds inside the transaction', async () => {
    const c = new ImportCommitter(reg);
    const id = randomUUID();
    const r = await c.commit({
      apply: async () => false,
      write: { target: join(out, 'stale.json'), data: 'x', receiptId: id },
    });
    expect(r).toEqual({ committed: false });
    expect(readdirSync(out)).toEqual([]);
    expect(await reg.pendingFiles()).toEqual([]);
  });

  it('resolves a job only once its row is committed (seen by a second connection) and its file exists', async () => {
    const c = new ImportCommitter(reg);
    const other = SqliteRegister.open(reg.file);
    try {
      const ids = Array.from({ length: 20 }, () => randomUUID());
      const seen: boolean[] = [];
      await Promise.all(
        ids.map((id, i) =>
          c
            .commit({
              apply: withdrawal(id),
              write: { target: join(out, `${i}.json`), data: id, receiptId: id },
            })
            .then(async () =>
              seen.push(existsSync(join(out, `${i}.json`)) && (await other.getWithdrawal(id)) !== undefined),
            ),
        ),
      );
      expect(seen).toHaveLength(20);
      expect(seen.every(Boolean)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('appends the audit entries of concurrent files as one valid chain, in submission order', async () => {
    const c = new ImportCommitter(reg);
    const ids = Array.from({ length: 30 }, () => randomUUID());
    await Promise.all(ids.map((handoverId) => c.audit({ event: 'import', outcome: 'accepted', handoverId })));
    const lines = auditText(process.env.HANDOVER_HOME!).trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { handoverId: string }).handoverId)).toEqual(ids);
    expect(verifyAuditText(auditText(process.env.HANDOVER_HOME!)).ok).toBe(true);
  });
});
