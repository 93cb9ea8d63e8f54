/**
 * appendAuditFile: a batch of entries under one lock and one fsync, chained exactly as if
 * they had been appended one by one, so that `audit --verify` cannot tell the difference.
 */
import { appendFileSync, existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  type AuditInput,
  appendAuditFile,
  appendAuditFileAsync,
  auditPath,
  GENESIS,
  lineHash,
} from '../../src/register/audit.js';
import { verifyAuditLog } from '../../src/register/audit-verify.js';
import { appendAudit } from '../../src/register/index.js';
import { tempDir } from '../helpers/cli.js';

let saved: string | undefined;

beforeEach(() => {
  saved = process.env.HANDOVER_HOME;
  process.env.HANDOVER_HOME = tempDir('handover-audit-many-');
});
afterEach(() => {
  if (saved === undefined) delete process.env.HANDOVER_HOME;
  else process.env.HANDOVER_HOME = saved;
});

const inputs = (n: number, from = 0): AuditInput[] =>
  Array.from({ length: n }, (_, i) => ({
    event: 'import' as const,
    outcome: 'accepted' as const,
    handoverId: `6f1c2d3e-0000-4000-8000-${String(from + i).padStart(12, '0')}`,
    sha256: lineHash(`file ${from + i}`),
    detail: 'handover',
  }));

const lines = (): string[] => readFileSync(auditPath(), 'utf8').trimEnd().split('\n');

describe('appendAuditFile', () => {
  it('writes the same bytes as appending one by one', async () => {
    const at = new Date(Date.UTC(2026, 2, 2, 8, 0, 0));
    for (const input of inputs(5)) await appendAudit(input, at);
    const single = readFileSync(auditPath(), 'utf8');
    process.env.HANDOVER_HOME = tempDir('handover-audit-many-');
    const entries = appendAuditFile(inputs(5), at);
    expect(readFileSync(auditPath(), 'utf8')).toBe(single);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]?.prev).toBe(GENESIS);
    expect(verifyAuditLog(auditPath()).ok).toBe(true);
  });

  it('chains a batch onto an existing log and between batches', async () => {
    await appendAudit({ event: 'create', outcome: 'ok' });
    appendAuditFile(inputs(3));
    appendAuditFile(inputs(4, 3));
    await appendAudit({ event: 'verify', outcome: 'valid' });
    const all = lines();
    expect(all).toHaveLength(9);
    all.forEach((line, i) => {
      const e = JSON.parse(line) as { seq: number; prev: string };
      expect(e.seq).toBe(i + 1);
      expect(e.prev).toBe(i === 0 ? GENESIS : lineHash(all[i - 1]!));
    });
    expect(verifyAuditLog(auditPath()).ok).toBe(true);
  });

  it('cuts a torn last line before a batch, and writes nothing for no entries', () => {
    appendAuditFile(inputs(2));
    appendFileSync(auditPath(), '{"seq":3,"ti');
    expect(appendAuditFile([])).toEqual([]);
    const entries = appendAuditFile(inputs(2, 2));
    const all = lines();
    expect(all).toHaveLength(4);
    expect(entries.map((e) => e.seq)).toEqual([3, 4]);
    expect(entries[0]?.prev).toBe(lineHash(all[1]!));
    expect(verifyAuditLog(auditPath()).ok).toBe(true);
  });

  it('async: waits for a lock another writer holds, then chains after its line', async () => {
    appendAuditFile(inputs(1));
    const lock = `${auditPath()}.lock`;
    writeFileSync(lock, '');
    const pending = appendAuditFileAsync(inputs(3, 1));
    await new Promise((r) => setTimeout(r, 50));
    expect(lines()).toHaveLength(1);
    // The other writer appends (a sync appender would do so under the lock), then lets go.
    appendFileSync(
      auditPath(),
      `${JSON.stringify({ ...JSON.parse(lines()[0]!), seq: 2, prev: lineHash(lines()[0]!) })}\n`,
    );
    unlinkSync(lock);
    const entries = await pending;
    expect(entries.map((e) => e.seq)).toEqual([3, 4, 5]);
    expect(entries[0]?.prev).toBe(lineHash(lines()[1]!));
    expect(existsSync(lock)).toBe(false);
    expect(verifyAuditLog(auditPath()).ok).toBe(true);
  });

  it('async and sync appends interleaved keep one chain', async () => {
    const batches = Array.from({ length: 5 }, (_, b) => inputs(4, b * 10));
    for (const batch of batches) {
      await appendAuditFileAsync(batch);
      appendAuditFile([{ event: 'verify', outcome: 'valid' }]);
    }
    expect(lines()).toHaveLength(25);
    expect(verifyAuditLog(auditPath()).ok).toBe(true);
  });
});
