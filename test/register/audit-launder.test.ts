/**
 * A laundered audit chain stays reported (issue 22.4): the chain is edited by hand straight in
 * the register file (better-sqlite3, as the sqlite3 tool would), ordinary commands then run and
 * append, and `audit --verify` must still fail with AUDIT_CHAIN_BROKEN. Before the chain moved
 * into the register, each append chained from the log file's last line and moved the stored
 * head forward, so that a few commands later the same edits read "intact".
 *
 * And a register made by the old code (test/fixtures/register-v4: migrations as a TypeScript
 * array, the chain in audit.log) still opens, migrates, and verifies end to end.
 */
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';
import { beforeEach, describe, expect, it } from 'vitest';
import Audit from '../../src/commands/audit.js';
import Verify from '../../src/commands/verify.js';
import { lineHash } from '../../src/register/audit-types.js';
import { auditHead, auditLines, rewriteAuditLines } from '../helpers/audit.js';
import { ROOT, runBin, runCommand, tempDir } from '../helpers/cli.js';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'register-v4');
let home: string;
const env = (): Record<string, string> => ({ HANDOVER_HOME: home, HANDOVER_LANG: 'en' });

/** An ordinary command that appends to the chain: verifying an unsigned file. */
async function ordinary(n: number): Promise<void> {
  const file = join(home, 'plain.json');
  writeFileSync(file, '{"kind":"receipt"}');
  for (let i = 0; i < n; i++) {
    const r = await runCommand(Verify, [file], env());
    expect(r.exitCode).toBe(1);
  }
}

async function verifyFails(): Promise<{ line: number; kind: string; missing?: number }[]> {
  const r = await runCommand(Audit, ['--verify', '--json'], env());
  expect(r.exitCode).toBe(1);
  const out = JSON.parse(r.stdout) as {
    error: { code: string; details: { line: number; kind: string; missing?: number }[] };
  };
  expect(out.error.code).toBe('AUDIT_CHAIN_BROKEN');
  // The kinds and places, without the worded message.
  return out.error.details.map(({ line, kind, missing }) => ({
    line,
    kind,
    ...(missing ? { missing } : {}),
  }));
}

async function verifyPasses(): Promise<{ lines: number; head: string }> {
  const r = await runCommand(Audit, ['--verify', '--json'], env());
  expect(r.stderr).toBe('');
  expect(r.exitCode).toBe(0);
  return (JSON.parse(r.stdout) as { verification: { lines: number; head: string } }).verification;
}

beforeEach(() => {
  home = tempDir('handover-launder-');
});

describe('edits by hand in the register stay reported after ordinary commands append', () => {
  it('the last entries cut', async () => {
    await ordinary(5);
    await verifyPasses();
    rewriteAuditLines(home, auditLines(home).slice(0, 3));
    await ordinary(3);
    expect(await verifyFails()).toContainEqual({ line: 4, kind: 'removed', missing: 2 });
    expect(auditLines(home)).toHaveLength(6);
  });

  it('a middle entry edited and every `prev` after it recomputed', async () => {
    await ordinary(5);
    const lines = auditLines(home);
    const forged: string[] = [];
    lines.forEach((l, i) => {
      const e = JSON.parse(l) as Record<string, unknown>;
      if (i === 1) e.outcome = 'valid';
      if (i > 0) e.prev = lineHash(forged[i - 1]!);
      forged.push(JSON.stringify(e));
    });
    rewriteAuditLines(home, forged);
    await verifyFails();
    await ordinary(3);
    const problems = await verifyFails();
    expect(problems.length).toBeGreaterThan(0);
    // The break sits where the forged chain meets the first entry appended after it.
    expect(problems.some((p) => p.line === 5 || p.line === 6)).toBe(true);
  });

  it('the head deleted too, with the chain rewritten to look whole', async () => {
    await ordinary(4);
    rewriteAuditLines(home, auditLines(home).slice(0, 2), 'delete');
    expect(await verifyFails()).toContainEqual({ line: 2, kind: 'unanchored' });
    await ordinary(2);
    expect((await verifyFails()).length).toBeGreaterThan(0);
  });
});

describe('a register made by the old migrations and its audit.log', () => {
  const copyFixture = (): void => {
    for (const f of ['register.sqlite', 'audit.log']) copyFileSync(join(FIXTURE, f), join(home, f));
  };

  it('opens, migrates, copies the log in and verifies end to end, then chains on', async () => {
    copyFixture();
    const old = readFileSync(join(FIXTURE, 'audit.log'), 'utf8').trimEnd().split('\n');
    const v = await verifyPasses();
    expect(v).toMatchObject({ lines: 4, head: lineHash(old[3]!) });
    expect(auditLines(home)).toEqual(old);
    expect(existsSync(join(home, 'audit.log'))).toBe(false);
    expect(readFileSync(join(home, 'audit.log.imported'), 'utf8')).toBe(`${old.join('\n')}\n`);
    await ordinary(2);
    expect((await verifyPasses()).lines).toBe(6);
    expect(auditHead(home)?.count).toBe(6);
    // The old register's rows are there, its upper-case id now in lower case (issue 22.15).
    const list = await runBin(['register', 'list', '--json'], { env: env() });
    expect(list.exitCode).toBe(0);
    expect(list.stdout).toContain('3f2a9c1e-5b7d-4e8a-9c0b-1d2e3f4a5b6c');
    expect(list.stdout).not.toContain('3F2A9C1E');
    const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
    const db = new Database(join(home, 'register.sqlite'), { readonly: true });
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(6);
    db.close();
  });

  it('keeps reporting lines cut from the file before the upgrade, whatever is appended after', async () => {
    copyFixture();
    const old = readFileSync(join(FIXTURE, 'audit.log'), 'utf8').trimEnd().split('\n');
    writeFileSync(join(home, 'audit.log'), `${old.slice(0, 2).join('\n')}\n`);
    expect(await verifyFails()).toContainEqual({ line: 3, kind: 'removed', missing: 2 });
    await ordinary(3);
    expect(await verifyFails()).toContainEqual({ line: 3, kind: 'removed', missing: 2 });
  });

  it('keeps the last entry of a file whose final newline was stripped (no line is lost)', async () => {
    copyFixture();
    const text = readFileSync(join(FIXTURE, 'audit.log'), 'utf8');
    writeFileSync(join(home, 'audit.log'), text.trimEnd());
    await ordinary(2);
    expect((await verifyPasses()).lines).toBe(6);
    expect(auditLines(home).slice(0, 4)).toEqual(text.trimEnd().split('\n'));
  });

  it('drops a torn last line that is no entry (a crash mid-write), as the old append did', async () => {
    copyFixture();
    const text = readFileSync(join(FIXTURE, 'audit.log'), 'utf8');
    writeFileSync(join(home, 'audit.log'), `${text}{"seq":5,"time":"2026-0`);
    expect((await verifyPasses()).lines).toBe(4);
  });
});
