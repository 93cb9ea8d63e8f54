/**
 * One test suite, two backends (SPEC §11): every behaviour of the register's repository
 * interface runs against the worker's SQLite file and against a real PostgreSQL server.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../../src/register/audit-verify.js';
import { PostgresRegister } from '../../src/register/postgres.js';
import type { Register } from '../../src/register/repository.js';
import type { HandoverRow } from '../../src/register/rows.js';
import { SqliteRegister } from '../../src/register/sqlite.js';
import { tempDir } from '../helpers/cli.js';
import { type PgServer, requirePostgresInCi, startPostgres } from '../helpers/postgres.js';

const withPg = requirePostgresInCi();
let pg: PgServer | undefined;
let dbCount = 0;

beforeAll(async () => {
  if (withPg) pg = await startPostgres();
}, 60_000);
afterAll(() => pg?.stop());

const row = (id: string, over: Partial<HandoverRow> = {}): HandoverRow => ({
  id,
  direction: 'sent',
  type: 'aftercare',
  senderBusinessId: '0166906-4',
  senderName: 'Lähettäjä',
  recipientBusinessId: '2082259-7',
  recipientName: 'Vastaanottaja',
  createdAt: '2026-11-02T10:00:00.000Z',
  eventAt: '2026-11-02T10:00:00.000Z',
  sha256: 'a'.repeat(64),
  status: 'sent',
  supersedes: null,
  supersededBy: null,
  receiptId: null,
  rejectionCodes: [],
  fileName: '20261102-aaaaaaaa.handover.json',
  updatedAt: '2026-11-02T10:00:00.000Z',
  ...over,
});

interface Backend {
  name: string;
  open(): Promise<Register & { shutdown?: () => Promise<void> }>;
}

const backends: Backend[] = [
  {
    name: 'sqlite',
    open: async () => {
      const home = tempDir('handover-repo-');
      process.env.HANDOVER_HOME = home;
      return SqliteRegister.open(join(home, 'register.sqlite'));
    },
  },
  {
    name: 'postgres',
    open: async () => {
      if (!pg) throw new Error('no server');
      process.env.HANDOVER_HOME = tempDir('handover-repo-');
      return PostgresRegister.open(pg.createDatabase(`repo${++dbCount}`));
    },
  },
];

describe.each(backends)('the register on $name', (b) => {
  const run = b.name === 'postgres' && !withPg ? it.skip : it;
  const withReg = async (fn: (r: Register) => Promise<void>) => {
    const r = await b.open();
    try {
      await fn(r);
    } finally {
      await r.close();
      await (r as { shutdown?: () => Promise<void> }).shutdown?.();
    }
  };

  run('stores, updates and lists handovers, newest first, filtered', () =>
    withReg(async (r) => {
      await r.putHandover(row('h1', { rejectionCodes: ['A', 'B'] }));
      await r.putHandover(
        row('h2', { direction: 'received', status: 'accepted', eventAt: '2026-11-03T10:00:00.000Z' }),
      );
      expect(await r.getHandover('h1', 'sent')).toMatchObject({ id: 'h1', rejectionCodes: ['A', 'B'] });
      expect(await r.getHandover('h1', 'received')).toBeUndefined();
      expect((await r.list()).map((x) => x.id)).toEqual(['h2', 'h1']);
      expect((await r.list({ direction: 'sent' })).map((x) => x.id)).toEqual(['h1']);
      expect((await r.list({ status: 'accepted' })).map((x) => x.id)).toEqual(['h2']);
      expect(await r.updateHandover('h1', 'sent', { status: 'acknowledged', receiptId: 'r1' })).toBe(true);
      expect(await r.updateHandover('nope', 'sent', { status: 'acknowledged' })).toBe(false);
      const h1 = await r.getHandover('h1', 'sent');
      expect(h1).toMatchObject({ status: 'acknowledged', receiptId: 'r1', rejectionCodes: ['A', 'B'] });
      // A receipt id set to null clears it; an absent one leaves it.
      await r.updateHandover('h1', 'sent', { status: 'sent' });
      expect((await r.getHandover('h1', 'sent'))?.receiptId).toBe('r1');
      await r.updateHandover('h1', 'sent', { receiptId: null });
      expect((await r.getHandover('h1', 'sent'))?.receiptId).toBeNull();
    }),
  );

  run(
    'lists as pending every sent handover without a receipt; overdue by replyBy; older by the cut-off',
    () =>
      withReg(async (r) => {
        await r.putHandover(row('late', { replyBy: '2026-11-10' }));
        await r.putHandover(row('due', { replyBy: '2026-11-20' }));
        await r.putHandover(row('old', { eventAt: '2026-10-01T00:00:00.000Z' }));
        await r.putHandover(row('answered', { replyBy: '2026-11-01', status: 'acknowledged' }));
        expect((await r.pending()).map((x) => x.id).sort()).toEqual(['due', 'late', 'old']);
        expect((await r.pending({ overdueOn: '2026-11-15' })).map((x) => x.id)).toEqual(['late']);
        const old = await r.pending({ before: new Date('2026-10-15T00:00:00Z') });
        expect(old.map((x) => x.id)).toEqual(['old']);
      }),
  );

  run('holds a received handover awaiting trust, with no receipt, and decides it later', () =>
    withReg(async (r) => {
      await r.putHandover(row('wait', { direction: 'received', status: 'awaiting-trust', receiptId: null }));
      expect(await r.getHandover('wait', 'received')).toMatchObject({
        status: 'awaiting-trust',
        receiptId: null,
      });
      expect((await r.list({ status: 'awaiting-trust' })).map((x) => x.id)).toEqual(['wait']);
      await r.updateHandover('wait', 'received', { status: 'accepted', receiptId: 'r9' });
      expect(await r.getHandover('wait', 'received')).toMatchObject({ status: 'accepted', receiptId: 'r9' });
    }),
  );

  run('keeps receipts, withdrawals and pending receipt files', () =>
    withReg(async (r) => {
      await r.putReceipt({
        id: 'r1',
        direction: 'issued',
        handoverId: 'h1',
        handoverSha256: 'b'.repeat(64),
        receivedAt: '2026-11-02T11:00:00.000Z',
        outcome: 'rejected',
        reasons: [{ rule: 'HETU_CHECKSUM', pointer: '/youth/hetu' }],
        receiverBusinessId: '2082259-7',
        sha256: null,
        fileName: 'x.receipt.json',
      });
      expect(await r.getReceipt('r1')).toMatchObject({
        outcome: 'rejected',
        reasons: [{ rule: 'HETU_CHECKSUM' }],
      });
      expect((await r.receipts('issued')).map((x) => x.id)).toEqual(['r1']);
      expect(await r.receipts('received')).toEqual([]);
      await r.setReceiptFileName('r1', 'y.receipt.json');
      expect((await r.getReceipt('r1'))?.fileName).toBe('y.receipt.json');
      await r.putWithdrawal({
        id: 'w1',
        direction: 'received',
        handoverId: 'h1',
        withdrawnAt: '2026-11-05T00:00:00.000Z',
        senderBusinessId: '0166906-4',
        sha256: null,
        fileName: null,
      });
      await r.putWithdrawal({
        id: 'w2',
        direction: 'received',
        handoverId: 'h1',
        withdrawnAt: '2026-11-06T00:00:00.000Z',
        senderBusinessId: '0166906-4',
        sha256: null,
        fileName: null,
      });
      expect((await r.withdrawalFor('h1', 'received'))?.id).toBe('w2');
      expect((await r.withdrawals()).map((w) => w.id).sort()).toEqual(['w1', 'w2']);
      await r.putPending({ tempPath: '/tmp/a.tmp', target: '/tmp/a', receiptId: 'r1', pid: 1, host: 'here' });
      expect(await r.pendingFiles()).toEqual([
        { tempPath: '/tmp/a.tmp', target: '/tmp/a', receiptId: 'r1', pid: 1, host: 'here' },
      ]);
      await r.deletePending('/tmp/a.tmp');
      expect(await r.pendingFiles()).toEqual([]);
    }),
  );

  run('commits a transaction whole, with its audit entries, or not at all', () =>
    withReg(async (r) => {
      await r.transaction(async (tx) => {
        await tx.putHandover(row('t1'));
        tx.audit({ event: 'import', outcome: 'accepted', handoverId: 't1' });
      });
      await expect(
        r.transaction(async (tx) => {
          await tx.putHandover(row('t2'));
          tx.audit({ event: 'import', outcome: 'accepted', handoverId: 't2' });
          throw new Error('boom');
        }),
      ).rejects.toThrow('boom');
      expect(await r.getHandover('t1', 'sent')).toBeDefined();
      expect(await r.getHandover('t2', 'sent')).toBeUndefined();
      // A savepoint undoes its own rows and audit entries; the rest of the transaction stays.
      await r.transaction(async (tx) => {
        await tx.putHandover(row('t3'));
        await tx
          .savepoint(async () => {
            await tx.putHandover(row('t4'));
            tx.audit({ event: 'import', outcome: 'accepted', handoverId: 't4' });
            throw new Error('inner');
          })
          .catch(() => undefined);
        tx.audit({ event: 'import', outcome: 'accepted', handoverId: 't3' });
      });
      expect(await r.getHandover('t3', 'sent')).toBeDefined();
      expect(await r.getHandover('t4', 'sent')).toBeUndefined();
      await r.appendAudit([{ event: 'verify', outcome: 'valid' }]);
      const [chain] = await r.auditChains();
      const ids = chain!.text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { handoverId?: string; user: string; seq: number });
      expect(ids.map((e) => e.handoverId ?? '-')).toEqual(['t1', 't3', '-']);
      expect(ids.map((e) => e.seq)).toEqual([1, 2, 3]);
      // Every entry names the OS user who acted.
      for (const e of ids) expect(e.user).toMatch(/\S/);
      const v = verifyAuditChain(chain!.text, chain!.head);
      expect(v.ok).toBe(true);
      expect(chain!.head?.count).toBe(3);
    }),
  );
  run('takes ids in any case and keeps them in lower case (issue 22.15)', () =>
    withReg(async (r) => {
      // A draft typed with an upper-case UUID; the receiver answers in lower case.
      const upper = '3F2A9C1E-5B7D-4E8A-9C0B-1D2E3F4A5B6C';
      const lower = upper.toLowerCase();
      await r.putHandover(row(upper, { supersedes: 'AAAAAAAA-0000-4000-8000-000000000001' }));
      expect((await r.getHandover(lower, 'sent'))?.id).toBe(lower);
      expect((await r.getHandover(upper, 'sent'))?.supersedes).toBe('aaaaaaaa-0000-4000-8000-000000000001');
      expect(
        await r.updateHandover(lower, 'sent', {
          status: 'acknowledged',
          receiptId: 'BBBBBBBB-0000-4000-8000-000000000002',
        }),
      ).toBe(true);
      expect(await r.getHandover(upper, 'sent')).toMatchObject({
        status: 'acknowledged',
        receiptId: 'bbbbbbbb-0000-4000-8000-000000000002',
      });
      await r.putReceipt({
        id: 'BBBBBBBB-0000-4000-8000-000000000002',
        direction: 'received',
        handoverId: lower,
        handoverSha256: 'a'.repeat(64),
        receivedAt: '2026-11-03T10:00:00.000Z',
        outcome: 'accepted',
        reasons: [],
        receiverBusinessId: '2082259-7',
        sha256: null,
        fileName: null,
      });
      expect((await r.getReceipt('bbbbbbbb-0000-4000-8000-000000000002'))?.handoverId).toBe(lower);
      expect((await r.list()).map((h) => h.id)).toEqual([lower]);
    }),
  );
});
