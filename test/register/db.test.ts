import { readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HandoverError } from '../../src/errors.js';
import { type HandoverRow, Register, SCHEMA_VERSION } from '../../src/register/db.js';
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

describe('Register', () => {
  it('creates an owner-only WAL database at the current schema version', () => {
    const file = join(tempDir(), 'register.sqlite');
    const reg = Register.open(file);
    try {
      expect(reg.userVersion()).toBe(SCHEMA_VERSION);
      expect(reg.integrityCheck()).toBe('ok');
      reg.putHandover(row());
      // WAL mode: the write went to the -wal file, which is as private as the database.
      expect(statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    } finally {
      reg.close();
    }
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // Opening again does not re-run migrations and keeps the rows.
    const again = Register.open(file);
    try {
      expect(again.userVersion()).toBe(SCHEMA_VERSION);
      expect(again.getHandover(row().id, 'received')?.senderName).toBe('Lähettäjän hyvinvointialue');
    } finally {
      again.close();
    }
  });

  it('keys handovers by id and direction, and round-trips every column', () => {
    const reg = Register.open(join(tempDir(), 'r.sqlite'));
    try {
      reg.putHandover(row({ rejectionCodes: ['HETU_INVALID', 'SCHEMA'], status: 'rejected' }));
      reg.putHandover(row({ direction: 'sent', status: 'sent' }));
      const got = reg.getHandover(row().id, 'received')!;
      expect(got.rejectionCodes).toEqual(['HETU_INVALID', 'SCHEMA']);
      expect(got.status).toBe('rejected');
      expect(reg.getHandover(row().id, 'sent')?.status).toBe('sent');
      expect(reg.list()).toHaveLength(2);
      expect(reg.list({ status: 'sent' }).map((r) => r.direction)).toEqual(['sent']);
    } finally {
      reg.close();
    }
  });

  it('refuses a status outside the defined set', () => {
    const reg = Register.open(join(tempDir(), 'r.sqlite'));
    try {
      expect(() => reg.putHandover(row({ status: 'lost' as HandoverRow['status'] }))).toThrow(/CHECK/);
    } finally {
      reg.close();
    }
  });

  it('rolls a failing transaction back whole', () => {
    const reg = Register.open(join(tempDir(), 'r.sqlite'));
    try {
      expect(() =>
        reg.transaction(() => {
          reg.putHandover(row());
          reg.putHandover(row({ id: 'x', sha256: 'short' }));
        }),
      ).toThrow();
      expect(reg.list()).toHaveLength(0);
    } finally {
      reg.close();
    }
  });

  it('lists pending sent handovers older than a cut-off, oldest first', () => {
    const reg = Register.open(join(tempDir(), 'r.sqlite'));
    try {
      reg.putHandover(
        row({ id: 'a', direction: 'sent', status: 'sent', eventAt: '2026-01-01T00:00:00.000Z' }),
      );
      reg.putHandover(
        row({ id: 'b', direction: 'sent', status: 'sent', eventAt: '2026-02-20T00:00:00.000Z' }),
      );
      reg.putHandover(
        row({ id: 'c', direction: 'sent', status: 'acknowledged', eventAt: '2026-01-02T00:00:00.000Z' }),
      );
      reg.putHandover(
        row({ id: 'd', direction: 'received', status: 'accepted', eventAt: '2026-01-01T00:00:00.000Z' }),
      );
      expect(reg.pending(new Date('2026-02-01T00:00:00Z')).map((r) => r.id)).toEqual(['a']);
      expect(reg.pending(new Date('2026-03-01T00:00:00Z')).map((r) => r.id)).toEqual(['a', 'b']);
    } finally {
      reg.close();
    }
  });

  it('stores receipts and withdrawals with their reasons', () => {
    const reg = Register.open(join(tempDir(), 'r.sqlite'));
    try {
      reg.putReceipt({
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
      expect(reg.getReceipt('r1')?.reasons).toEqual([
        { rule: 'HETU_INVALID', pointer: '/youth/personalIdentityCode' },
      ]);
      reg.putWithdrawal({
        id: 'w1',
        direction: 'received',
        handoverId: row().id,
        withdrawnAt: '2026-03-04T08:00:00.000Z',
        senderBusinessId: '0166906-4',
        sha256: null,
        fileName: null,
      });
      expect(reg.withdrawalFor(row().id, 'received')?.id).toBe('w1');
      expect(reg.withdrawalFor(row().id, 'issued')).toBeUndefined();
    } finally {
      reg.close();
    }
  });

  it('reports an unusable register as exit 4, not a stack', () => {
    const dir = tempDir();
    try {
      Register.open(dir); // a folder where the database file should be
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
    expect(() => Register.open(join(dir, 'register.sqlite'))).toThrow(
      expect.objectContaining({ code: 'REGISTER_UNAVAILABLE' }),
    );
    expect(readFileSync(join(dir, 'victim'), 'utf8')).toBe('precious');
  });
});
