import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandoverError } from '../../src/core/errors.js';
import type { HandoverRow } from '../../src/register/index.js';
import { SCHEMA_VERSION, SqliteRegister } from '../../src/register/sqlite.js';
import { tempDir } from '../helpers/cli.js';

const row = (over: Partial<HandoverRow> = {}): HandoverRow => ({
  id: '6f1c3a52-8c1e-4b59-9d55-0c3e1f0a9b11',
  direction: 'received',
  type: 'aftercare',
  senderBusinessId: '0166906-4',
  senderName: 'Lähettäjän hyvinvointialue',
  recipientBusinessId: '2082259-7',
  recipientName: 'Vastaanottajan hyvinvointialue',
  createdAt: '2026-03-02T10:00:00+02:00',
  eventAt: '2026-03-03T08:00:00.000Z',
  sha256: 'a'.repeat(64),
  status: 'accepted',
  supersedes: null,
  supersededBy: null,
  receiptId: null,
  rejectionCodes: [],
  fileName: '20260302-6f1c3a52.handover.json',
  updatedAt: '2026-03-03T08:00:00.000Z',
  ...over,
});

describe('SqliteRegister', () => {
  it('creates an owner-only WAL database at the current schema version', async () => {
    const file = join(tempDir(), 'register.sqlite');
    const reg = SqliteRegister.open(file);
    try {
      expect(reg.userVersion()).toBe(SCHEMA_VERSION);
      expect(reg.integrityCheck()).toBe('ok');
      await reg.putHandover(row());
      // WAL mode: the write went to the -wal file, which is as private as the database.
      expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    } finally {
      await reg.close();
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Opening again does not re-run migrations and keeps the rows.
    const again = SqliteRegister.open(file);
    try {
      expect(again.userVersion()).toBe(SCHEMA_VERSION);
      expect((await again.getHandover(row().id, 'received'))?.senderName).toBe('Lähettäjän hyvinvointialue');
    } finally {
      await again.close();
    }
  });

  it('keys handovers by id and direction, and round-trips every column', async () => {
    const reg = SqliteRegister.open(join(tempDir(), 'r.sqlite'));
    try {
      await reg.putHandover(row({ rejectionCodes: ['HETU_INVALID', 'SCHEMA'], status: 'rejected' }));
      await reg.putHandover(row({ direction: 'sent', status: 'sent' }));
      const got = (await reg.getHandover(row().id, 'received'))!;
      expect(got.rejectionCodes).toEqual(['HETU_INVALID', 'SCHEMA']);
      expect(got.status).toBe('rejected');
      expect((await reg.getHandover(row().id, 'sent'))?.status).toBe('sent');
      expect(await reg.list()).toHaveLength(2);
      expect((await reg.list({ status: 'sent' })).map((r) => r.direction)).toEqual(['sent']);
    } finally {
      await reg.close();
    }
  });

  it('refuses a status outside the defined set', async () => {
    const reg = SqliteRegister.open(join(tempDir(), 'r.sqlite'));
    try {
      await expect(reg.putHandover(row({ status: 'lost' as HandoverRow['status'] }))).rejects.toThrow(
        /CHECK/,
      );
    } finally {
      await reg.close();
    }
  });

  it('rolls a failing transaction back whole', async () => {
    const reg = SqliteRegister.open(join(tempDir(), 'r.sqlite'));
    try {
      await expect(
        reg.transaction(async (tx) => {
          await tx.putHandover(row());
          await tx.putHandover(row({ id: 'x', sha256: 'short' }));
        }),
      ).rejects.toThrow();
      expect(await reg.list()).toHaveLength(0);
    } finally {
      await reg.close();
    }
  });

  it('lists pending sent handovers older than a cut-off, oldest first', async () => {
    const reg = SqliteRegister.open(join(tempDir(), 'r.sqlite'));
    try {
      await reg.putHandover(
        row({ id: 'a', direction: 'sent', status: 'sent', eventAt: '2026-01-01T00:00:00.000Z' }),
      );
      await reg.putHandover(
        row({ id: 'b', direction: 'sent', status: 'sent', eventAt: '2026-02-20T00:00:00.000Z' }),
      );
      await reg.putHandover(
        row({ id: 'c', direction: 'sent', status: 'acknowledged', eventAt: '2026-01-02T00:00:00.000Z' }),
      );
      await reg.putHandover(
        row({ id: 'd', direction: 'received', status: 'accepted', eventAt: '2026-01-01T00:00:00.000Z' }),
      );
      expect((await reg.pending({ before: new Date('2026-02-01T00:00:00Z') })).map((r) => r.id)).toEqual([
        'a',
      ]);
      expect((await reg.pending({ before: new Date('2026-03-01T00:00:00Z') })).map((r) => r.id)).toEqual([
        'a',
        'b',
      ]);
    } finally {
      await reg.close();
    }
  });

  it('stores receipts and withdrawals with their reasons', async () => {
    const reg = SqliteRegister.open(join(tempDir(), 'r.sqlite'));
    try {
      await reg.putReceipt({
        id: 'r1',
        direction: 'issued',
        handoverId: row().id,
        handoverSha256: 'a'.repeat(64),
        receivedAt: '2026-03-03T08:00:00.000Z',
        outcome: 'rejected',
        reasons: [{ rule: 'HETU_INVALID', pointer: '/youth/personalIdentityCode' }],
        receiverBusinessId: '2082259-7',
        sha256: 'b'.repeat(64),
        fileName: '20260303-6f1c3a52.receipt.json',
      });
      expect((await reg.getReceipt('r1'))?.reasons).toEqual([
        { rule: 'HETU_INVALID', pointer: '/youth/personalIdentityCode' },
      ]);
      await reg.putWithdrawal({
        id: 'w1',
        direction: 'received',
        handoverId: row().id,
        withdrawnAt: '2026-03-04T08:00:00.000Z',
        senderBusinessId: '0166906-4',
        sha256: null,
        fileName: null,
      });
      expect((await reg.withdrawalFor(row().id, 'received'))?.id).toBe('w1');
      expect(await reg.withdrawalFor(row().id, 'issued')).toBeUndefined();
    } finally {
      await reg.close();
    }
  });

  it('reports an unusable register as exit 4, not a stack', () => {
    const dir = tempDir();
    try {
      SqliteRegister.open(dir); // a folder where the database file should be
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(HandoverError);
      expect((e as HandoverError).code).toBe('REGISTER_UNAVAILABLE');
      expect((e as HandoverError).exit).toBe(4);
    }
  });
});

describe('a register path that is a symlink (issue 16.7)', () => {
  it('is refused, and the file it points at stays as it was', () => {
    const dir = tempDir('handover-db-link-');
    writeFileSync(join(dir, 'victim'), 'precious');
    symlinkSync(join(dir, 'victim'), join(dir, 'register.sqlite'));
    expect(() => SqliteRegister.open(join(dir, 'register.sqlite'))).toThrow(
      expect.objectContaining({ code: 'REGISTER_UNAVAILABLE' }),
    );
    expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('precious');
  });
});
