/**
 * `handover import` through the real command: a receipt answers in the version of the handover
 * (SPEC §5.1, §5.6), and a document that is none of ours gets no receipt (SPEC §8).
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Import from '../../src/commands/import.js';
import Withdraw from '../../src/commands/withdraw.js';
import { validateSchema } from '../../src/schema/validator.js';
import { runBin, runCommand } from '../helpers/cli.js';
import { handover, makeOrg, type Org, sendFile, trustEachOther } from '../register/orgs.js';

let A: Org;
let B: Org;
const receipts = () => readdirSync(B.dir).filter((f) => f.endsWith('.receipt.json'));

beforeAll(async () => {
  A = await makeOrg('Länsi-Testin hyvinvointialue', '0166906-4', '020');
  B = await makeOrg('Itä-Testin hyvinvointialue', '2082259-7', '091');
  await trustEachOther(A, B);
});

describe('import --json', () => {
  it.each([
    ['1.0', {}],
    ['1.1', { replyBy: '2026-03-16', decisions: [{ date: '2024-05-02', subject: 'Jälkihuoltopäätös' }] }],
    ['1.2', { replyBy: '2026-03-16' }],
  ])('answers a %s handover with a receipt of the same version', async (version, members) => {
    const doc = { ...handover(A, B), schemaVersion: version, ...members } as ReturnType<typeof handover>;
    const file = await sendFile(A, doc, `v${version}.handover.json`);
    const r = await runCommand(Import, [file, '--json'], B.env);
    expect(r.exitCode).toBe(0);
    const f = JSON.parse(r.stdout).files[0];
    expect(f).toMatchObject({ kind: 'handover', outcome: 'accepted' });
    const receipt = JSON.parse(readFileSync(f.receiptFile, 'utf8'));
    expect(receipt).toMatchObject({ kind: 'receipt', schemaVersion: version, handoverId: doc.id });
    expect(validateSchema('receipt', receipt)).toEqual([]);
    // The handover file itself is never rewritten to another version.
    expect(JSON.parse(readFileSync(file, 'utf8')).schemaVersion).toBe(version);
  });

  it('rejects a handover of a newer version with one SCHEMA_VERSION_UNSUPPORTED, answered in the newest version', async () => {
    const doc = { ...handover(A, B), schemaVersion: '1.3' } as unknown as ReturnType<typeof handover>;
    const file = await sendFile(A, doc, 'newer.handover.json');
    const r = await runCommand(Import, [file, '--json'], B.env);
    expect(r.exitCode).toBe(1);
    const f = JSON.parse(r.stdout).files[0];
    expect(f.findings.map((x: { rule: string }) => x.rule)).toEqual(['SCHEMA_VERSION_UNSUPPORTED']);
    const receipt = JSON.parse(readFileSync(f.receiptFile, 'utf8'));
    expect(receipt).toMatchObject({
      schemaVersion: '1.2',
      outcome: 'rejected',
      reasons: [{ rule: 'SCHEMA_VERSION_UNSUPPORTED', pointer: '/schemaVersion' }],
    });
  });

  it.each([
    ['[]', '[]'],
    ['42', '42'],
    ['{}', '{}'],
    [
      'an unknown kind with a handover id',
      `{"kind": "memo", "schemaVersion": "1.1", "id": "${crypto.randomUUID()}"}`,
    ],
  ])('writes no receipt for %s: DOCUMENT_UNKNOWN, kind "unknown", exit 1', async (_name, content) => {
    const file = join(A.dir, 'not-ours.json');
    writeFileSync(file, content);
    const before = receipts();
    const r = await runCommand(Import, [file, '--json'], B.env);
    expect(r.exitCode).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out.files[0]).toMatchObject({ kind: 'unknown', outcome: 'rejected' });
    expect(out.files[0].findings.map((x: { rule: string }) => x.rule)).toEqual(['DOCUMENT_UNKNOWN']);
    expect(out.files[0].receiptFile).toBeUndefined();
    expect(receipts()).toEqual(before);
  });
});

describe('withdraw, then import of the withdrawal', () => {
  it.each(['1.0', '1.1'])('withdraws a %s handover in its own version', async (version) => {
    const doc = { ...handover(A, B), schemaVersion: version } as ReturnType<typeof handover>;
    const file = await sendFile(A, doc, `w${version}.handover.json`);
    expect((await runCommand(Import, [file, '--json'], B.env)).exitCode).toBe(0);
    const w = await runCommand(
      Withdraw,
      [file, '--reason', 'Nuori peruutti suostumuksensa.', '--json'],
      A.env,
    );
    expect(w.exitCode).toBe(0);
    const notice = JSON.parse(readFileSync(JSON.parse(w.stdout).file, 'utf8'));
    expect(notice).toMatchObject({ kind: 'withdrawal', schemaVersion: version, handoverId: doc.id });
    expect(validateSchema('withdrawal', notice)).toEqual([]);
    const wi = await runCommand(Import, [JSON.parse(w.stdout).file, '--json'], B.env);
    expect(wi.exitCode).toBe(0);
    expect(JSON.parse(wi.stdout).files[0]).toMatchObject({ kind: 'withdrawal', outcome: 'accepted' });
  });
});

describe('import as a subprocess of the built CLI', () => {
  it('writes no receipt for a document that is none of ours', async () => {
    const file = join(A.dir, 'memo.json');
    writeFileSync(file, '{"kind": "memo"}');
    const before = receipts();
    const r = await runBin(['import', file], { env: B.env });
    expect(r.exitCode).toBe(1);
    expect(`${r.stdout}${r.stderr}`).toContain('DOCUMENT_UNKNOWN');
    expect(r.stdout).toContain('No receipt: this is not a document for handover.');
    expect(receipts()).toEqual(before);
  });
});
