/**
 * Issue 16, items 8 and 9, as the attack ran them on the built CLI: size limits on every
 * reader, `show --json` of an 8 MiB string (oclif's colouriser overflowed the stack), `verify`
 * of a 10 MB file again and again (some runs never exited; the 100 runs are `npm run bench
 * limits`), a broken config.json (an untranslated
 * key was printed) and an extra member inside `signature` (verify accepted what validate
 * rejects).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigningIdentity } from '../../src/keystore/index.js';
import { verifyFile } from '../../src/services/verify.js';
import { signDocument } from '../../src/signing/jws.js';
import { ROOT, runBin, tempDir } from '../helpers/cli.js';
import { as, handover, makeOrg, type Org, trustEachOther } from '../register/orgs.js';

let A: Org;
let B: Org;
let dir: string;
let big: string;
let eight: string;
let signed: Record<string, unknown>;

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'commands', 'verify.js')), 'run `node scripts/build.mjs` first').toBe(
    true,
  );
  A = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
  B = await makeOrg('Vastaanottaja', '2082259-7', '091');
  await trustEachOther(A, B);
  dir = tempDir('handover-limits-');
  signed = (await as(A, async () =>
    signDocument(handover(A, B, { notes: 'x'.repeat(10 * 1024 * 1024) }), await loadSigningIdentity()),
  )) as unknown as Record<string, unknown>;
  big = join(dir, 'big.json');
  writeFileSync(big, JSON.stringify(signed));
  eight = join(dir, 'eight.json');
  writeFileSync(eight, JSON.stringify(handover(A, B, { notes: 'y'.repeat(8 * 1024 * 1024) })));
}, 120_000);

describe('size limits (default 5 MiB) on every reader', () => {
  it.each([['verify'], ['show'], ['sign'], ['letter'], ['open'], ['import']])(
    '%s refuses a 10 MB file: FILE_TOO_LARGE',
    async (cmd) => {
      const r = await runBin([cmd, big, '--json'], { env: B.env });
      expect(r.exitCode).toBe(1);
      expect(r.stdout).toContain('FILE_TOO_LARGE');
    },
  );
});

describe('show --json of an 8 MiB string', () => {
  it('prints valid JSON (no colouriser stack overflow)', async () => {
    const r = await runBin(['show', eight, '--json', '--max-size', '16384'], { env: B.env });
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
    expect((JSON.parse(r.stdout) as { notes?: string }).notes).toHaveLength(8 * 1024 * 1024);
  });
});

// Some runs of the attack never exited. Six runs, three at a time, show that each one exits
// (and that runs side by side do); the 100 runs and their throughput are `npm run bench limits`.
describe('verify of a 10 MB file, again and again', () => {
  it('exits every time', async () => {
    const codes: number[] = [];
    let next = 0;
    const worker = async () => {
      while (next < 6) {
        next++;
        const r = await runBin(['verify', big, '--max-size', '20480', '--json'], {
          env: B.env,
          timeoutMs: 30_000,
        });
        codes.push(r.exitCode);
      }
    };
    await Promise.all([worker(), worker(), worker()]);
    // A hang is killed at 30 s and shows as exit 128.
    expect(codes).toHaveLength(6);
    expect(codes.filter((c) => c !== 0)).toEqual([]);
  }, 120_000);
});

describe('the same strict reading everywhere', () => {
  it('verify rejects an extra member inside signature, as validate does', async () => {
    const doc = { ...signed, signature: { ...(signed.signature as object), extra: 'x' } };
    const file = join(dir, 'extra.json');
    writeFileSync(file, JSON.stringify(doc));
    const r = await as(B, () => verifyFile({ file, maxBytes: 20 << 20 }));
    expect(r).toMatchObject({ ok: false, code: 'SIGNATURE_INVALID', reason: 'malformed' });
  });

  it('a broken config.json is told in the chosen language, not as a key', async () => {
    const home = tempDir('handover-badconfig-');
    writeFileSync(join(home, 'config.json'), '{ not json');
    for (const lang of ['fi', 'sv', 'en']) {
      const r = await runBin(['config', 'list'], { env: { HANDOVER_HOME: home, HANDOVER_LANG: lang } });
      expect(r.exitCode).toBe(4);
      expect(r.stderr).toContain('CONFIG_INVALID');
      expect(r.stderr).not.toContain('errors.CONFIG_INVALID');
    }
  });
});
