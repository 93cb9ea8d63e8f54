/**
 * What a kill between "receipt written under a temporary name" and "named" leaves, settled by
 * the next command that opens the register (SPEC §8): a temporary receipt whose row committed
 * is named (the next free name on a collision, recorded in the row); one whose row never
 * committed is deleted; a live writer's entries are left alone. The dead writer is a real
 * process that has exited, so its pid is free. Another machine's entries (an office shares one
 * table) are left to that machine, whose disk holds the temporary file.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openRegister, type Register } from '../../src/register/index.js';
import { SqliteRegister } from '../../src/register/sqlite.js';
import { tempDir } from '../helpers/cli.js';

const deadPid = (): number => Number(spawnSync(process.execPath, ['-p', 'process.pid']).stdout.toString());

async function receiptRow(reg: Register, id: string, fileName: string): Promise<void> {
  await reg.putReceipt({
    id,
    direction: 'issued',
    handoverId: randomUUID(),
    handoverSha256: 'a'.repeat(64),
    receivedAt: '2026-11-20T10:00:00Z',
    outcome: 'accepted',
    reasons: [],
    receiverBusinessId: '2082259-7',
    sha256: null,
    fileName,
  });
}

describe('reconciling pending receipts', () => {
  it('names a committed one, deletes an uncommitted one, leaves a live writer alone', async () => {
    const home = tempDir('handover-pending-');
    const out = tempDir('handover-pending-out-');
    const file = join(home, 'register.sqlite');
    const reg = SqliteRegister.open(file);
    const [committed, lost, live, moved] = [randomUUID(), randomUUID(), randomUUID(), randomUUID()];
    const pid = deadPid();
    const temp = (name: string) => join(out, `.${name}.${pid}.0123456789ab.tmp`);
    for (const [id, name, p] of [
      [committed, '20261120-aaaaaaaa.receipt.json', pid],
      [lost, '20261120-bbbbbbbb.receipt.json', pid],
      [live, '20261120-cccccccc.receipt.json', process.pid],
      [moved, '20261120-dddddddd.receipt.json', pid],
    ] as const) {
      writeFileSync(temp(name), id);
      await reg.putPending({
        tempPath: temp(name),
        target: join(out, name),
        receiptId: id,
        pid: p,
        host: hostname(),
      });
    }
    await receiptRow(reg, committed, '20261120-aaaaaaaa.receipt.json');
    await receiptRow(reg, live, '20261120-cccccccc.receipt.json');
    await receiptRow(reg, moved, '20261120-dddddddd.receipt.json');
    writeFileSync(join(out, '20261120-dddddddd.receipt.json'), 'someone else');
    await reg.close();

    const next = await openRegister({ file });
    try {
      expect(readFileSync(join(out, '20261120-aaaaaaaa.receipt.json'), 'utf8')).toBe(committed);
      expect(existsSync(join(out, '20261120-bbbbbbbb.receipt.json'))).toBe(false);
      expect(readFileSync(join(out, '20261120-dddddddd-2.receipt.json'), 'utf8')).toBe(moved);
      expect((await next.getReceipt(moved))?.fileName).toBe('20261120-dddddddd-2.receipt.json');
      expect((await next.pendingFiles()).map((p) => p.receiptId)).toEqual([live]);
      expect(readdirSync(out).sort()).toEqual(
        [
          '20261120-aaaaaaaa.receipt.json',
          '20261120-dddddddd-2.receipt.json',
          '20261120-dddddddd.receipt.json',
          `.20261120-cccccccc.receipt.json.${pid}.0123456789ab.tmp`,
        ].sort(),
      );
    } finally {
      await next.close();
    }
  });
  it("leaves another machine's entry to it, even when its writer's pid is free here", async () => {
    const out = tempDir('handover-pending-out-');
    const file = join(tempDir('handover-pending-'), 'register.sqlite');
    const reg = SqliteRegister.open(file);
    const id = randomUUID();
    const pid = deadPid();
    const name = '20261120-eeeeeeee.receipt.json';
    const tempPath = join(out, `.${name}.${pid}.0123456789ab.tmp`);
    writeFileSync(tempPath, id);
    await reg.putPending({
      tempPath,
      target: join(out, name),
      receiptId: id,
      pid,
      host: `not-${hostname()}`,
    });
    await receiptRow(reg, id, name);
    await reg.close();

    const next = await openRegister({ file });
    try {
      expect((await next.pendingFiles()).map((p) => p.receiptId)).toEqual([id]);
      expect(readdirSync(out)).toEqual([`.${name}.${pid}.0123456789ab.tmp`]);
    } finally {
      await next.close();
    }
  });
});
