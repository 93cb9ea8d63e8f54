/**
 * Receipts between "written" and "named" (SPEC §8): a receipt is written under a temporary
 * name and fsynced, its row commits, then it takes its final name. A kill anywhere in that
 * leaves an entry here, and the next command settles it: a temporary receipt whose row
 * committed is named (so the register never claims a receipt that no file holds), one whose
 * row never committed is deleted (so no receipt exists for a decision that was not made).
 */
import { readFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { discardTemp, publishFree } from '../io/atomic-write.js';
import { nthFreeName } from '../io/names.js';
import type { PendingFile, Register } from './repository.js';

const alive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
};

const sameBytes = (a: string, b: string): boolean => {
  try {
    return readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
};

/** Names a committed receipt's temporary file, the next free name on a collision; returns the name. */
export function publishReceipt(p: PendingFile): string {
  return publishFree(p.tempPath, p.target, (n) => nthFreeName(basename(p.target), n));
}

/**
 * Settles what processes of this machine that are gone left pending; a live writer's entries (another
 * import running now, this one included) are left to it. Never throws: a failed clean-up
 * must not stop the command, and the entry stays for the next one.
 */
export async function reconcilePending(reg: Register, host: string): Promise<number> {
  let settled = 0;
  for (const p of await reg.pendingFiles()) {
    // Another worker's machine holds its own temporary files: only it can settle them.
    if ((p.host !== '' && p.host !== host) || alive(p.pid)) continue;
    try {
      const row = await reg.getReceipt(p.receiptId);
      const stored = row?.fileName ? `${dirname(p.target)}/${row.fileName}` : p.target;
      // Killed between the link and the unlink: the file has its name already.
      if (!row || sameBytes(stored, p.tempPath)) discardTemp(p.tempPath);
      else {
        let name: string | undefined;
        try {
          name = basename(publishReceipt(p));
        } catch (e) {
          if ((e as { cause?: NodeJS.ErrnoException }).cause?.code !== 'ENOENT') throw e;
        }
        if (name && name !== row.fileName) await reg.setReceiptFileName(row.id, name);
      }
      await reg.deletePending(p.tempPath);
      settled++;
    } catch {}
  }
  return settled;
}
