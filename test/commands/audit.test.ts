import { beforeEach, describe, expect, it } from 'vitest';
import Audit from '../../src/commands/audit.js';
import { lineHash } from '../../src/register/audit.js';
import { appendAudit } from '../../src/register/index.js';
import { auditLines, rewriteAuditLines } from '../helpers/audit.js';
import { runBin, runCommand, tempDir } from '../helpers/cli.js';

let home: string;
const env = (): Record<string, string> => ({ HANDOVER_HOME: home, HANDOVER_LANG: 'en' });

async function seed(n: number): Promise<string[]> {
  const saved = process.env.HANDOVER_HOME;
  process.env.HANDOVER_HOME = home;
  try {
    for (let i = 0; i < n; i++)
      await appendAudit(
        {
          event: i % 2 ? 'seal' : 'open',
          outcome: 'ok',
          handoverId: `0a1b2c3d-0000-4000-8000-00000000000${i}`,
          sha256: lineHash(String(i)),
        },
        new Date(Date.UTC(2026, 1, 3, 9, i)),
      );
  } finally {
    if (saved === undefined) delete process.env.HANDOVER_HOME;
    else process.env.HANDOVER_HOME = saved;
  }
  return auditLines(home);
}

/** Edits by hand in the register, the head left as it was. */
const rewrite = (lines: string[]): void => rewriteAuditLines(home, lines);

beforeEach(() => {
  home = tempDir('handover-audit-cmd-');
});

describe('human output', () => {
  it('lists time, event, outcome, short id and short hash', async () => {
    await seed(3);
    const r = await runCommand(Audit, [], env());
    expect(r.exitCode).toBe(0);
    const rows = r.stdout.trim().split('\n');
    expect(rows).toHaveLength(3);
    expect(rows[1]).toContain('2026-02-03T09:01:00.000Z');
    expect(rows[1]).toContain('seal');
    expect(rows[1]).toContain('0a1b2c3d');
    expect(rows[1]).toContain(lineHash('1').slice(0, 12));
    expect(rows[1]).not.toContain(lineHash('1'));
  });

  it('says when the log is empty', async () => {
    const r = await runCommand(Audit, ['--verify'], env());
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('The audit log is empty.');
  });

  it('reports an intact chain with its head', async () => {
    const lines = await seed(4);
    const r = await runCommand(Audit, ['--verify'], env());
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain(`Audit log intact: 4 lines, head ${lineHash(lines[3] ?? '')}`);
  });

  it('names the edited line and exits 1', async () => {
    const lines = await seed(5);
    lines[1] = (lines[1] ?? '').replace('"outcome":"ok"', '"outcome":"failed"');
    rewrite(lines);
    const r = await runCommand(Audit, ['--verify'], env());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('AUDIT_CHAIN_BROKEN');
    expect(r.stderr).toContain('line 2: edited');
  });

  it('speaks Finnish when asked', async () => {
    const lines = await seed(5);
    lines.splice(2, 1);
    rewrite(lines);
    const r = await runCommand(Audit, ['--verify', '--lang', 'fi'], env());
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('rivi 3: sitä ennen on poistettu 1 rivi');
    expect(r.stderr).not.toContain('1 riviä');
  });
});

describe('--json', () => {
  it('returns the entries and the verification and nothing else on stdout', async () => {
    await seed(3);
    const r = await runCommand(Audit, ['--verify', '--json', '--last', '2'], env());
    expect(r.exitCode).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.entries.map((e: { seq: number }) => e.seq)).toEqual([2, 3]);
    expect(out.verification).toMatchObject({ ok: true, lines: 3, problems: [] });
  });

  it('gives each problem with line and kind, exit 1', async () => {
    const lines = await seed(6);
    [lines[3], lines[4]] = [lines[4] ?? '', lines[3] ?? ''];
    lines.splice(1, 1);
    rewrite(lines);
    const r = await runCommand(Audit, ['--verify', '--json'], env());
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.error.code).toBe('AUDIT_CHAIN_BROKEN');
    expect(out.error.details.map((d: { line: number; kind: string }) => [d.line, d.kind])).toEqual([
      [2, 'removed'],
      [3, 'reordered'],
    ]);
  });

  it('lists without failing when --verify is not given', async () => {
    const lines = await seed(3);
    lines[0] = (lines[0] ?? '').replace('"outcome":"ok"', '"outcome":"failed"');
    rewrite(lines);
    const r = await runCommand(Audit, ['--json'], env());
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).entries).toHaveLength(3);
  });
});

describe('built CLI', () => {
  it('exits 1 on a broken chain and 2 on an unknown flag', async () => {
    const lines = await seed(3);
    lines.splice(0, 1);
    rewrite(lines);
    const broken = await runBin(['audit', '--verify'], { env: env() });
    expect(broken.exitCode).toBe(1);
    expect(broken.stderr).toContain('line 1: 1 line removed before it');
    expect(broken.stderr).not.toMatch(/\n\s+at /);
    const usage = await runBin(['audit', '--nope'], { env: env() });
    expect(usage.exitCode).toBe(2);
  });
});
