/**
 * The race of issue 16: two real `import` processes on one register, each given one file of
 * 100 pairs that share a handover id but differ in content. The id check used to run outside
 * the commit's transaction, so both processes judged most ids unregistered and each signed
 * an "accepted" receipt for its own content. Now, per id: at most one accepted receipt, the
 * other file is an ID_CONFLICT (no receipt), and the register's row, the receipt rows and
 * the receipt files agree.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadSigningIdentity } from '../../src/keystore/index.js';
import { SqliteRegister } from '../../src/register/sqlite.js';
import type { Receipt } from '../../src/schema/types.js';
import { importFiles } from '../../src/services/import/index.js';
import { signDocument } from '../../src/signing/jws.js';
import { ROOT, runBin, tempDir } from '../helpers/cli.js';
import { as, handover, makeOrg, type Org, sendFile, trustEachOther } from '../register/orgs.js';

const PAIRS = 100;
let A: Org;
let B: Org;
const sides: [string[], string[]] = [[], []];

beforeAll(async () => {
  expect(existsSync(join(ROOT, 'dist', 'commands', 'import.js')), 'run `node scripts/build.mjs` first').toBe(
    true,
  );
  A = await makeOrg('Lähettäjä Oy', '0166906-4', '020');
  B = await makeOrg('Vastaanottaja', '2082259-7', '091');
  await trustEachOther(A, B);
  const work = tempDir('handover-race-');
  await as(A, async () => {
    const key = await loadSigningIdentity();
    for (let i = 0; i < PAIRS; i++) {
      const first = handover(A, B);
      for (const [side, notes] of [
        [0, 'Ensimmäinen versio.'],
        [1, 'Toinen, eri versio.'],
      ] as const) {
        const dir = join(work, `side${side}`);
        mkdirSync(dir, { recursive: true });
        const p = join(dir, `${String(i).padStart(3, '0')}.json`);
        const signed = await signDocument({ ...first, notes }, key);
        await import('node:fs').then((fs) => fs.writeFileSync(p, JSON.stringify(signed)));
        sides[side].push(p);
      }
    }
  });
}, 120_000);

describe('two import processes racing on 100 id pairs', () => {
  it('accepts at most one file per id, and receipts, receipt rows and handover rows agree', async () => {
    const [r0, r1] = await Promise.all(
      sides.map((files) =>
        runBin(['import', ...files, '--out', B.dir, '--json'], { env: B.env, timeoutMs: 170_000 }),
      ),
    );
    for (const r of [r0!, r1!]) expect(r.stderr).not.toMatch(/INTERNAL|at .*\.js:\d+/);
    const files = readdirSync(B.dir);
    expect(files.filter((f) => f.endsWith('.tmp'))).toEqual([]);
    const receipts = files
      .filter((f) => f.endsWith('.receipt.json'))
      .map((f) => ({ f, r: JSON.parse(readFileSync(join(B.dir, f), 'utf8')) as Receipt }));
    const accepted = new Map<string, number>();
    for (const { r } of receipts)
      if (r.outcome === 'accepted') accepted.set(r.handoverId, (accepted.get(r.handoverId) ?? 0) + 1);
    const twice = [...accepted.values()].filter((n) => n > 1).length;
    if (process.env.HANDOVER_TEST_FIGURES)
      console.log(
        `race: ${receipts.length} receipts, ${accepted.size} ids accepted, ${twice} ids accepted twice`,
      );
    expect(twice).toBe(0);
    expect(accepted.size).toBe(PAIRS);
    const reg = SqliteRegister.open(join(B.home, 'register.sqlite'));
    try {
      const rows = await reg.list({ direction: 'received' });
      expect(rows).toHaveLength(PAIRS);
      const issued = await reg.receipts('issued');
      expect(issued.map((x) => x.fileName).sort()).toEqual(receipts.map((x) => x.f).sort());
      for (const { f, r } of receipts) {
        const row = rows.find((x) => x.id === r.handoverId)!;
        expect(row.status, f).toBe('accepted');
        expect(row.sha256, f).toBe(r.handoverSha256);
        expect(row.receiptId, f).toBe(r.id);
      }
      expect(await reg.pendingFiles()).toEqual([]);
    } finally {
      await reg.close();
    }
    // The losing file of each pair is an ID_CONFLICT in its process's report.
    // Both processes ran to their report (a race must never end one of them with an error).
    for (const r of [r0!, r1!]) expect(JSON.parse(r.stdout).files, r.stdout.slice(0, 2000)).toBeDefined();
    const reported = [r0!, r1!].flatMap(
      (r) => (JSON.parse(r.stdout) as { files: { outcome: string; findings: { rule: string }[] }[] }).files,
    );
    const conflicts = reported.filter((x) => x.findings.some((f) => f.rule === 'ID_CONFLICT')).length;
    expect(conflicts).toBe(PAIRS);
  }, 180_000);
});

describe('four import processes on one accepted file whose receipt is missing', () => {
  it('write the receipt again once, with the id it had, not once each', async () => {
    const counts: number[] = [];
    for (let t = 0; t < 5; t++) {
      const file = await sendFile(A, handover(A, B));
      const first = await as(B, () => importFiles({ files: [file], lang: 'en' }));
      const original = JSON.parse(readFileSync(first.files[0]!.receiptFile!, 'utf8')) as Receipt;
      rmSync(first.files[0]!.receiptFile!);
      const out = tempDir('handover-race-repair-');
      const runs = await Promise.all(
        [0, 1, 2, 3].map(() => runBin(['import', file, '--out', out, '--json'], { env: B.env })),
      );
      for (const r of runs) {
        expect(r.exitCode, r.stderr).toBe(0);
        expect((JSON.parse(r.stdout) as { files: { outcome: string }[] }).files[0]?.outcome).toBe(
          'duplicate',
        );
      }
      const written = readdirSync(out);
      expect(written.filter((f) => f.endsWith('.tmp'))).toEqual([]);
      const receipts = written.filter((f) => f.endsWith('.receipt.json'));
      counts.push(receipts.length);
      for (const f of receipts)
        expect((JSON.parse(readFileSync(join(out, f), 'utf8')) as Receipt).id).toBe(original.id);
    }
    expect(counts).toEqual([1, 1, 1, 1, 1]);
  }, 180_000);
});
