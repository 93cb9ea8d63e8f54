/**
 * A batch of audit entries appended at once is chained exactly as if they had been appended
 * one by one, so that `audit --verify` cannot tell the difference; batches and single entries
 * interleave into one chain (several processes at once: audit.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AuditInput, GENESIS, lineHash } from '../../src/register/audit.js';
import { verifyAuditChain } from '../../src/register/audit-verify.js';
import { appendAudit } from '../../src/register/index.js';
import { auditHead, auditLines } from '../helpers/audit.js';
import { tempDir } from '../helpers/cli.js';

let saved: string | undefined;
let home: string;

beforeEach(() => {
  saved = process.env.HANDOVER_HOME;
  home = tempDir('handover-audit-many-');
  process.env.HANDOVER_HOME = home;
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

const verified = (h: string) => verifyAuditChain(`${auditLines(h).join('\n')}\n`, auditHead(h) ?? null);

describe('a batch of audit entries', () => {
  it('is the same lines as appending one by one', async () => {
    const at = new Date(Date.UTC(2026, 2, 2, 8, 0, 0));
    for (const input of inputs(5)) await appendAudit(input, at);
    const single = auditLines(home);
    home = tempDir('handover-audit-many-');
    process.env.HANDOVER_HOME = home;
    const entries = await appendAudit(inputs(5), at);
    expect(auditLines(home)).toEqual(single);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(entries[0]?.prev).toBe(GENESIS);
    expect(verified(home).ok).toBe(true);
  });

  it('chains onto an existing chain and between batches, and writes nothing for no entries', async () => {
    await appendAudit({ event: 'create', outcome: 'ok' });
    await appendAudit(inputs(3));
    expect(await appendAudit([])).toEqual([]);
    await appendAudit(inputs(4, 3));
    await appendAudit({ event: 'verify', outcome: 'valid' });
    const all = auditLines(home);
    expect(all).toHaveLength(9);
    all.forEach((line, i) => {
      const e = JSON.parse(line) as { seq: number; prev: string };
      expect(e.seq).toBe(i + 1);
      expect(e.prev).toBe(i === 0 ? GENESIS : lineHash(all[i - 1]!));
    });
    expect(auditHead(home)).toEqual({ hash: lineHash(all[8]!), count: 9 });
    expect(verified(home).ok).toBe(true);
  });
});
