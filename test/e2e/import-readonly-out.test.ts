/**
 * Issue 16, item 5: `import --out` into a read-only folder used to commit the register row
 * first and then fail to write the receipt: exit 5, "Nothing was written", and yet the
 * register said accepted. The receipt is now written (under a temporary name, fsynced) before
 * the row commits, so a folder that takes no file leaves truly nothing registered.
 * The folder is a real read-only tmpfs (root ignores file modes, so chmod cannot make one).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteRegister } from '../../src/register/sqlite.js';
import { ROOT, runBin, tempDir } from '../helpers/cli.js';
import { handover, makeOrg, type Org, sendFile, trustEachOther } from '../register/orgs.js';

let A: Org;
let B: Org;
let ro = '';
let skip = '';

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'commands', 'import.js')), 'run `node scripts/build.mjs` first').toBe(
    true,
  );
  A = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
  B = await makeOrg('Vastaanottaja', '2082259-7', '091');
  await trustEachOther(A, B);
  ro = join(tempDir('handover-ro-'), 'out');
  mkdirSync(ro);
  const m = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', ro], { encoding: 'utf8' });
  if (m.status !== 0) skip = `cannot mount a read-only tmpfs here: ${m.stderr.trim() || m.error?.message}`;
}, 60_000);

afterAll(() => {
  if (!skip) spawnSync('umount', [ro]);
});

describe('import --out into a read-only folder', () => {
  it('exits 5, writes no receipt and registers nothing', async (ctx) => {
    // CI runs as root on a machine that allows the mount: there a skip would hide a broken test.
    if (skip && process.env.CI) throw new Error(skip);
    if (skip) {
      console.log(`skipped: ${skip}`);
      ctx.skip();
    }
    const file = await sendFile(A, handover(A, B));
    const r = await runBin(['import', file, '--out', ro, '--json'], { env: B.env });
    expect(r.exitCode).toBe(5);
    expect(r.stderr).not.toMatch(/INTERNAL|\n\s+at /);
    const reg = SqliteRegister.open(join(B.home, 'register.sqlite'));
    try {
      expect(await reg.list()).toEqual([]);
      expect(await reg.receipts()).toEqual([]);
      expect(await reg.pendingFiles()).toEqual([]);
    } finally {
      await reg.close();
    }
  });
});
