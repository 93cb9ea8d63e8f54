/**
 * Issue 22.12 / 25.12: a full disk under HANDOVER_HOME when the register opens. SQLite cannot
 * grow the register's shared-memory index (-shm) and says SQLITE_IOERR_SHMSIZE, which was
 * REGISTER_UNAVAILABLE exit 4; it is a full disk, DISK_FULL exit 5, and once room is made the
 * same command works. A real tmpfs mounted by the test (root; skipped with the reason printed
 * where the mount fails, never in CI).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, runBin, tempDir } from '../helpers/cli.js';

let mnt = '';
let skip = '';

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist', 'commands', 'audit.js')), 'run `node scripts/build.mjs` first').toBe(
    true,
  );
  mnt = join(tempDir('handover-full-open-'), 'home');
  mkdirSync(mnt);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=700', 'tmpfs', mnt], { encoding: 'utf8' });
  if (m.status !== 0) skip = `cannot mount a tmpfs here: ${m.stderr.trim() || m.error?.message}`;
});

afterAll(() => {
  if (mnt && !skip) spawnSync('umount', [mnt]);
});

describe('a full disk when the register opens', () => {
  it('is DISK_FULL exit 5, not REGISTER_UNAVAILABLE exit 4', async (ctx) => {
    if (skip && process.env.CI) throw new Error(skip);
    if (skip) {
      console.log(`skipped: ${skip}`);
      ctx.skip();
    }
    // A register made elsewhere, without its -wal and -shm files, then the disk filled.
    copyFileSync(
      join(ROOT, 'test', 'fixtures', 'register-v4', 'register.sqlite'),
      join(mnt, 'register.sqlite'),
    );
    const env = { HANDOVER_HOME: mnt, HANDOVER_LANG: 'en' };
    expect((await runBin(['register', 'list', '--json'], { env })).exitCode).toBe(0);
    for (const f of ['register.sqlite-wal', 'register.sqlite-shm']) rmSync(join(mnt, f), { force: true });
    spawnSync('dd', ['if=/dev/zero', `of=${join(mnt, 'filler')}`, 'bs=4k'], { stdio: 'ignore' });
    for (const args of [
      ['register', 'list', '--json'],
      ['audit', '--verify', '--json'],
    ]) {
      const r = await runBin(args, { env });
      expect(r.exitCode, r.stdout).toBe(5);
      expect(JSON.parse(r.stdout).error.code).toBe('DISK_FULL');
      expect(r.stderr).not.toMatch(/INTERNAL|\n\s+at /);
    }
    rmSync(join(mnt, 'filler'));
    writeFileSync(join(mnt, 'marker'), '');
    expect((await runBin(['register', 'list', '--json'], { env })).exitCode).toBe(0);
  }, 60_000);
});
