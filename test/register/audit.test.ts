import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditPath, GENESIS, lineHash } from '../../src/register/audit.js';
import { verifyAuditLog, verifyAuditText } from '../../src/register/audit-verify.js';
import { appendAudit } from '../../src/register/index.js';
import { runAudit } from '../../src/services/audit.js';
import { auditLines, rewriteAuditLines } from '../helpers/audit.js';
import { ROOT, tempDir } from '../helpers/cli.js';

let saved: string | undefined;
let home: string;

beforeEach(() => {
  saved = process.env.HANDOVER_HOME;
  home = tempDir('handover-audit-');
  process.env.HANDOVER_HOME = home;
});
afterEach(() => {
  if (saved === undefined) delete process.env.HANDOVER_HOME;
  else process.env.HANDOVER_HOME = saved;
});

const EVENTS = ['create', 'sign', 'letter', 'seal', 'open', 'import', 'verify', 'export'] as const;

async function writeLog(n: number): Promise<string[]> {
  for (let i = 0; i < n; i++) {
    await appendAudit(
      {
        event: EVENTS[i % EVENTS.length] ?? 'create',
        outcome: 'ok',
        handoverId: `6f1c2d3e-0000-4000-8000-${String(i).padStart(12, '0')}`,
        sha256: lineHash(`file ${i}`),
      },
      new Date(Date.UTC(2026, 0, 1, 12, 0, i)),
    );
  }
  return auditLines(home);
}

const text = (lines: string[]): string => `${lines.join('\n')}\n`;

describe('appendAudit', () => {
  it('chains each line to the one before, starting from the genesis value, owner-only', async () => {
    const lines = await writeLog(3);
    const entries = lines.map((l) => JSON.parse(l));
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0].prev).toBe(GENESIS);
    expect(entries[1].prev).toBe(lineHash(lines[0] ?? ''));
    expect(entries[2].prev).toBe(lineHash(lines[1] ?? ''));
    expect(statSync(join(home, 'register.sqlite')).mode & 0o777).toBe(0o600);
    expect(existsSync(auditPath())).toBe(false);
  });

  it('keeps one chain when several processes append at once', async () => {
    const dist = join(ROOT, 'dist', 'register', 'index.js');
    expect(existsSync(dist), 'build first: npm run build').toBe(true);
    const script = `import(${JSON.stringify(dist)}).then(async (m) => { for (let i = 0; i < 25; i++) await m.appendAudit({ event: 'import', outcome: 'accepted' }); });`;
    await Promise.all(
      [0, 1, 2, 3].map(
        () =>
          new Promise<void>((resolve, reject) => {
            const child = spawn(process.execPath, ['-e', script], {
              env: { ...process.env, HANDOVER_HOME: home },
            });
            child.on('error', reject);
            child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`exit ${code}`))));
          }),
      ),
    );
    const v = verifyAuditText(text(auditLines(home)));
    expect(v.problems).toEqual([]);
    expect(v.entries.map((e) => e.entry.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
    expect((await runAudit({ verify: true })).verification?.ok).toBe(true);
  });
});

describe('verifyAuditLog', () => {
  it('accepts an intact log and gives its head', async () => {
    const lines = await writeLog(6);
    const v = verifyAuditText(text(lines));
    expect(v.ok).toBe(true);
    expect(v.problems).toEqual([]);
    expect(v.entries).toHaveLength(6);
    expect(v.head).toBe(lineHash(lines[5] ?? ''));
  });

  it('treats a missing log as empty and intact', () => {
    const v = verifyAuditLog(join(home, 'nothing.log'));
    expect(v).toMatchObject({ ok: true, lines: 0, head: GENESIS, problems: [] });
  });

  it('reports an edited line with its line number', async () => {
    const lines = await writeLog(6);
    lines[2] = (lines[2] ?? '').replace('"outcome":"ok"', '"outcome":"failed"');
    expect(verifyAuditText(text(lines)).problems).toEqual([{ line: 3, kind: 'edited' }]);
  });

  it('reports an edit of the first line', async () => {
    const lines = await writeLog(4);
    lines[0] = (lines[0] ?? '').replace('"event":"create"', '"event":"export"');
    expect(verifyAuditText(text(lines)).problems).toEqual([{ line: 1, kind: 'edited' }]);
  });

  it('reports an edited sequence number', async () => {
    const lines = await writeLog(6);
    lines[2] = (lines[2] ?? '').replace('"seq":3,', '"seq":30,');
    expect(verifyAuditText(text(lines)).problems).toEqual([{ line: 3, kind: 'edited' }]);
  });

  it('reports a removed line where the gap is', async () => {
    const lines = await writeLog(6);
    lines.splice(2, 1);
    expect(verifyAuditText(text(lines)).problems).toEqual([{ line: 3, kind: 'removed', missing: 1 }]);
  });

  it('reports two removed lines as one gap of two', async () => {
    const lines = await writeLog(6);
    lines.splice(1, 2);
    expect(verifyAuditText(text(lines)).problems).toEqual([{ line: 2, kind: 'removed', missing: 2 }]);
  });

  it('reports the removal of the first line', async () => {
    const lines = await writeLog(4);
    lines.shift();
    expect(verifyAuditText(text(lines)).problems).toEqual([{ line: 1, kind: 'removed', missing: 1 }]);
  });

  it('reports two swapped lines as one reordered line', async () => {
    const lines = await writeLog(6);
    [lines[2], lines[3]] = [lines[3] ?? '', lines[2] ?? ''];
    expect(verifyAuditText(text(lines)).problems).toEqual([{ line: 3, kind: 'reordered' }]);
  });

  it('reports a line moved to the end at its new position', async () => {
    const lines = await writeLog(6);
    const [moved] = lines.splice(1, 1);
    lines.push(moved ?? '');
    expect(verifyAuditText(text(lines)).problems).toEqual([{ line: 6, kind: 'reordered' }]);
  });

  it('reports a line that is not an entry as malformed', async () => {
    const lines = await writeLog(4);
    lines.splice(2, 0, 'not json at all');
    const v = verifyAuditText(text(lines));
    expect(v.problems).toEqual(expect.arrayContaining([{ line: 3, kind: 'malformed' }]));
    expect(v.ok).toBe(false);
  });

  it('detects any single edit, removal or swap before the last line (property)', async () => {
    const lines = await writeLog(12);
    fc.assert(
      fc.property(
        fc.oneof(
          fc.record({
            op: fc.constant('edit' as const),
            at: fc.integer({ min: 0, max: 10 }),
            ch: fc.string({ minLength: 1, maxLength: 3 }),
          }),
          fc.record({ op: fc.constant('remove' as const), at: fc.integer({ min: 0, max: 10 }) }),
          fc.record({ op: fc.constant('swap' as const), at: fc.integer({ min: 0, max: 10 }) }),
        ),
        (m) => {
          const copy = [...lines];
          let expected: { line: number; kind: string };
          if (m.op === 'edit') {
            const original = copy[m.at] ?? '';
            // A replacer function: as a plain string, "$&" or "$'" in the edit would be expanded.
            const edited = original.replace(
              '"outcome":"ok"',
              () => `"outcome":${JSON.stringify(`ok${m.ch}`)}`,
            );
            copy[m.at] = edited;
            expected = { line: m.at + 1, kind: 'edited' };
          } else if (m.op === 'remove') {
            copy.splice(m.at, 1);
            expected = { line: m.at + 1, kind: 'removed' };
          } else {
            [copy[m.at], copy[m.at + 1]] = [copy[m.at + 1] ?? '', copy[m.at] ?? ''];
            expected = { line: m.at + 1, kind: 'reordered' };
          }
          const v = verifyAuditText(text(copy));
          expect(v.ok).toBe(false);
          expect(v.problems).toHaveLength(1);
          expect(v.problems[0]).toMatchObject(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('survives arbitrary text without throwing', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), (s) => {
        const v = verifyAuditText(s);
        expect(typeof v.ok).toBe('boolean');
      }),
      { numRuns: 200 },
    );
  });
});

it('writes no audit.log and no lock file beside the register', async () => {
  await writeLog(1);
  expect(existsSync(auditPath())).toBe(false);
  expect(existsSync(`${auditPath()}.lock`)).toBe(false);
});

describe('the chain head in the register, and symlinks (issue 16.7)', () => {
  it('finds the last lines removed, and every line deleted', async () => {
    for (let i = 0; i < 5; i++) await appendAudit({ event: 'verify', outcome: 'valid' });
    expect((await runAudit({ verify: true })).verification?.ok).toBe(true);
    rewriteAuditLines(home, auditLines(home).slice(0, 3));
    const cut = (await runAudit({ verify: true })).verification!;
    expect(cut.ok).toBe(false);
    expect(cut.problems).toContainEqual({ line: 4, kind: 'removed', missing: 2 });
    rewriteAuditLines(home, []);
    const gone = (await runAudit({ verify: true })).verification!;
    expect(gone.ok).toBe(false);
    expect(gone.problems).toContainEqual({ line: 1, kind: 'removed', missing: 5 });
  });

  it('never reads or writes through an audit.log symlink', async () => {
    const victim = join(home, 'victim.txt');
    writeFileSync(victim, 'precious\n');
    symlinkSync(victim, auditPath());
    await appendAudit({ event: 'verify', outcome: 'valid' });
    expect(readFileSync(victim, 'utf8')).toBe('precious\n');
    expect(auditLines(home)).toHaveLength(1);
  });
});
