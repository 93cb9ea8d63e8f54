/**
 * The group commit of a batch import: every job of a group is committed or refused on its
 * own (savepoints), a receipt file is written only after its row is committed, and the audit
 * entries of a group form one valid chain in submission order.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HandoverError } from '../../../src/errors.js';
import { auditPath } from '../../../src/register/audit.js';
import { verifyAuditLog } from '../../../src/register/audit-verify.js';
import { Register } from '../../../src/register/db.js';
import { ImportCommitter } from '../../../src/services/import/commit.js';
import { tempDir } from '../../helpers/cli.js';

let saved: string | undefined;
let reg: Register;
let out: string;

beforeEach(() => {
  saved = process.env.HANDOVER_HOME;
  const home = tempDir('handover-batch-');
  process.env.HANDOVER_HOME = home;
  reg = Register.open(join(home, 'register.sqlite'));
  out = tempDir('handover-batch-out-');
});
afterEach(() => {
  reg.close();
  if (saved === undefined) delete process.env.HANDOVER_HOME;
  else process.env.HANDOVER_HOME = saved;
});

const withdrawal = (id: string) => () =>
  reg.putWithdrawal({
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
              ? () => {
                  withdrawal(id)();
                  throw new Error('refused after a change');
                }
              : withdrawal(id),
          write: { target: join(out, `${i}.receipt.json`), data: `{"n":${i}}\n`, force: false },
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
    ids.forEach((id, i) => {
      expect(reg.getWithdrawal(id) !== undefined, `row ${i}`).toBe(i !== 3);
    });
    expect(readdirSync(out).sort()).toEqual(['0', '1', '2', '4', '5'].map((n) => `${n}.receipt.json`));
    expect(readFileSync(join(out, '5.receipt.json'), 'utf8')).toBe('{"n":5}\n');
    expect(statSync(join(out, '5.receipt.json')).mode & 0o777).toBe(0o600);
  });

  it('keeps the row when its file cannot be written (OUTPUT_EXISTS), never the reverse', async () => {
    const c = new ImportCommitter(reg);
    writeFileSync(join(out, 'taken.receipt.json'), 'someone else');
    const [a, b] = [randomUUID(), randomUUID()];
    const r = await Promise.allSettled([
      c.commit({
        apply: withdrawal(a),
        write: { target: join(out, 'taken.receipt.json'), data: 'x', force: false },
      }),
      c.commit({
        apply: withdrawal(b),
        write: { target: join(out, 'free.receipt.json'), data: 'y', force: false },
      }),
    ]);
    expect(r[0]?.status).toBe('rejected');
    expect(((r[0] as PromiseRejectedResult).reason as HandoverError).code).toBe('OUTPUT_EXISTS');
    expect(r[1]?.status).toBe('fulfilled');
    expect(reg.getWithdrawal(a)).toBeDefined();
    expect(reg.getWithdrawal(b)).toBeDefined();
    expect(readFileSync(join(out, 'taken.receipt.json'), 'utf8')).toBe('someone else');
    expect(readdirSync(out).sort()).toEqual(['free.receipt.json', 'taken.receipt.json']);
  });

  it('resolves a job only once its row is committed (seen by a second connection) and its file exists', async () => {
    const c = new ImportCommitter(reg);
    const other = Register.open(reg.file);
    try {
      const ids = Array.from({ length: 20 }, () => randomUUID());
      const seen: boolean[] = [];
      await Promise.all(
        ids.map((id, i) =>
          c
            .commit({
              apply: withdrawal(id),
              write: { target: join(out, `${i}.json`), data: id, force: false },
            })
            .then(() =>
              seen.push(existsSync(join(out, `${i}.json`)) && other.getWithdrawal(id) !== undefined),
            ),
        ),
      );
      expect(seen).toHaveLength(20);
      expect(seen.every(Boolean)).toBe(true);
    } finally {
      other.close();
    }
  });

  it('appends the audit entries of concurrent files as one valid chain, in submission order', async () => {
    const c = new ImportCommitter(reg);
    const ids = Array.from({ length: 30 }, () => randomUUID());
    await Promise.all(ids.map((handoverId) => c.audit({ event: 'import', outcome: 'accepted', handoverId })));
    const lines = readFileSync(auditPath(), 'utf8').trimEnd().split('\n');
    expect(lines.map((l) => (JSON.parse(l) as { handoverId: string }).handoverId)).toEqual(ids);
    expect(verifyAuditLog(auditPath()).ok).toBe(true);
  });
});
