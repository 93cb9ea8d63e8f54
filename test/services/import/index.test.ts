import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compactHelsinkiDate } from '../../../src/domain/dates.js';
import { openRegister } from '../../../src/register/index.js';
import { registerSent } from '../../../src/register/sent.js';
import type { Receipt } from '../../../src/schema/types.js';
import { validateSchema } from '../../../src/schema/validator.js';
import { importFiles } from '../../../src/services/import/index.js';
import { renderFile, renderSummary } from '../../../src/services/import/render.js';
import { verifyDocument } from '../../../src/signing/jws.js';
import { as, handover, makeOrg, type Org, sendFile, trustEachOther } from '../../register/orgs.js';

let A: Org;
let B: Org;
let C: Org;
// Signatures carry the real signing time, so the tests run on the real clock.
const NOW = () => new Date();
const sha = (p: string) => createHash('sha256').update(readFileSync(p)).digest('hex');
const receipts = (org: Org) => readdirSync(org.dir).filter((f) => f.endsWith('.receipt.json'));
const readReceipt = (p: string) => JSON.parse(readFileSync(p, 'utf8')) as Receipt;

beforeAll(async () => {
  A = await makeOrg('Länsi-Testin hyvinvointialue', '0166906-4', '020');
  B = await makeOrg('Itä-Testin hyvinvointialue', '2082259-7', '091');
  C = await makeOrg('Pohjois-Testin hyvinvointialue', '1572860-0', '005');
  await trustEachOther(A, B);
});

describe('importing a handover', () => {
  it('accepts, registers and answers with a signed receipt the sender can verify; the same file again changes nothing', async () => {
    const file = await sendFile(A, handover(A, B));
    const r = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    const f = r.files[0]!;
    expect(r.exit).toBe(0);
    expect(f).toMatchObject({ kind: 'handover', outcome: 'accepted', status: 'accepted', sha256: sha(file) });
    // Named from the receipt's own id (SPEC §8), not from the handover id the sender chose.
    expect(f.receiptFile).toBe(
      join(B.dir, `${compactHelsinkiDate(new Date())}-${f.receiptId!.slice(0, 8)}.receipt.json`),
    );
    expect(f.receiptId!.slice(0, 8)).not.toBe(f.handoverId!.slice(0, 8));
    const receipt = readReceipt(f.receiptFile!);
    expect(validateSchema('receipt', receipt)).toEqual([]);
    expect(receipt).toMatchObject({
      outcome: 'accepted',
      handoverId: f.handoverId,
      handoverSha256: sha(file),
    });
    expect(receipt.receiver.organization.businessId).toBe(B.businessId);
    expect(receipt.reasons).toBeUndefined();
    const v = await as(A, () => verifyDocument(receipt));
    expect(v.status).toBe('valid');

    const again = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    expect(again.exit).toBe(0);
    expect(again.files[0]).toMatchObject({ outcome: 'duplicate', status: 'accepted', receiptId: receipt.id });
    expect(receipts(B).filter((n) => n.includes(f.receiptId!.slice(0, 8)))).toHaveLength(1);
    expect(readReceipt(f.receiptFile!).id).toBe(receipt.id);
  });

  it('refuses other content under an id already accepted: ID_CONFLICT, exit 1, register unchanged', async () => {
    const doc = handover(A, B);
    const first = await sendFile(A, doc, 'first.json');
    await as(B, () => importFiles({ files: [first], lang: 'en', now: NOW }));
    const second = await sendFile(A, { ...doc, notes: 'Korjattu versio' }, 'second.json');
    const before = receipts(B).length;
    const r = await as(B, () => importFiles({ files: [second], lang: 'en', now: NOW }));
    expect(r.exit).toBe(1);
    expect(r.files[0]!.findings.map((x) => x.rule)).toEqual(['ID_CONFLICT']);
    expect(receipts(B)).toHaveLength(before);
    await as(B, async () => {
      const reg = await openRegister();
      expect((await reg.getHandover(doc.id, 'received'))?.sha256).toBe(sha(first));
      await reg.close();
    });
  });

  it('refuses a handover addressed to someone else: no receipt, no row, and what to do (SPEC §8)', async () => {
    const doc = handover(A, C);
    const file = await sendFile(A, doc);
    const before = readdirSync(B.dir).sort();
    const r = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    expect(r.exit).toBe(1);
    const f = r.files[0]!;
    expect(f.outcome).toBe('rejected');
    expect(f.findings.map((x) => x.rule)).toEqual(['NOT_ADDRESSED_TO_US']);
    expect(f.receiptFile).toBeUndefined();
    expect(readdirSync(B.dir).sort()).toEqual(before);
    await as(B, async () => {
      const reg = await openRegister();
      expect(await reg.getHandover(doc.id, 'received')).toBeUndefined();
      await reg.close();
    });
    expect(renderFile(f, 'en')).toContain('addressed to another organisation');
  });

  it('keeps a file from a signer not yet trusted awaiting trust (no receipt), and decides it after trust add', async () => {
    const doc = handover(C, B);
    const file = await sendFile(C, doc);
    const before = readdirSync(B.dir).sort();
    const r1 = await as(B, () => importFiles({ files: [file], lang: 'sv', now: NOW }));
    expect(r1.exit).toBe(1);
    expect(r1.files[0]).toMatchObject({ outcome: 'awaiting-trust', status: 'awaiting-trust' });
    expect(r1.files[0]!.receiptFile).toBeUndefined();
    // No signed "rejected" answer goes back to a sender who did nothing wrong.
    expect(readdirSync(B.dir).sort()).toEqual(before);
    expect(r1.summary).toMatchObject({ files: 1, accepted: 0, rejected: 0, awaitingTrust: 1 });
    const fp = r1.files[0]!.findings[0]!.awaitsTrust!.fingerprint256;
    expect(fp).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const text = renderFile(r1.files[0]!, 'sv');
    expect(text).toContain('väntar på förtroende');
    expect(text).toContain('ingen kvittens skrevs');
    expect(text).toContain('`handover keys list`');
    expect(text).toContain(`handover trust add <deras certifikat> --fingerprint ${fp}`);
    expect(renderSummary(r1, 'sv')).toBe('1 fil: 1 väntar på förtroende.\n');
    await as(B, async () => {
      const reg = await openRegister();
      expect(await reg.getHandover(doc.id, 'received')).toMatchObject({
        status: 'awaiting-trust',
        receiptId: null,
      });
      await reg.close();
    });
    // Imported again while still untrusted: still waiting, still no receipt.
    const again = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    expect(again.files[0]).toMatchObject({ outcome: 'awaiting-trust' });
    expect(readdirSync(B.dir).sort()).toEqual(before);
    await trustEachOther(B, C);
    const r2 = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    expect(r2.exit).toBe(0);
    expect(r2.files[0]).toMatchObject({ outcome: 'accepted', status: 'accepted' });
    expect(readReceipt(r2.files[0]!.receiptFile!).outcome).toBe('accepted');
    // The one receipt the sender ever gets is the acceptance.
    const added = readdirSync(B.dir).filter((f) => !before.includes(f));
    expect(added).toEqual([basename(r2.files[0]!.receiptFile!)]);
  });

  it('rejects a file changed after signing (SIGNATURE_INVALID) and an unsigned one (SIGNATURE_MISSING)', async () => {
    const file = await sendFile(A, handover(A, B));
    const tampered = JSON.parse(readFileSync(file, 'utf8'));
    tampered.entitlement.endsOn = '2029-04-30';
    writeFileSync(file, JSON.stringify(tampered));
    const unsigned = join(A.dir, 'unsigned.json');
    writeFileSync(unsigned, JSON.stringify(handover(A, B)));
    const r = await as(B, () => importFiles({ files: [file, unsigned], lang: 'en', now: NOW }));
    expect(r.exit).toBe(1);
    expect(r.files.map((f) => f.findings.filter((x) => x.severity === 'error').map((x) => x.rule))).toEqual([
      ['SIGNATURE_INVALID'],
      ['SIGNATURE_MISSING'],
    ]);
    expect(r.summary).toMatchObject({ files: 2, rejected: 2 });
  });

  it('rejects an unparseable file without a receipt (a receipt must name a handover id)', async () => {
    const bad = join(A.dir, 'broken.json');
    writeFileSync(bad, '{"id": ');
    const before = receipts(B).length;
    const r = await as(B, () => importFiles({ files: [bad], lang: 'en', now: NOW }));
    expect(r.exit).toBe(1);
    expect(r.files[0]!.findings[0]!.rule).toBe('JSON_PARSE');
    expect(r.files[0]!.receiptFile).toBeUndefined();
    expect(receipts(B)).toHaveLength(before);
  });

  it('--dry-run reports the outcome and writes nothing', async () => {
    const D = await makeOrg('Etelä-Testin hyvinvointialue', '2082259-7', '092');
    await trustEachOther(A, D);
    const file = await sendFile(A, handover(A, D));
    // keys init logged in the register (the audit chain lives there): it exists, with no rows.
    const before = readdirSync(D.home).sort();
    const r = await as(D, () => importFiles({ files: [file], lang: 'en', now: NOW, dryRun: true }));
    expect(r).toMatchObject({ dryRun: true, exit: 0 });
    expect(r.files[0]!.outcome).toBe('accepted');
    expect(readdirSync(D.dir)).toEqual([]);
    expect(readdirSync(D.home).sort()).toEqual(before);
    await as(D, async () => {
      const reg = await openRegister();
      expect(await reg.list()).toEqual([]);
      expect(await reg.receipts()).toEqual([]);
      await reg.close();
    });
  });
});

describe('importing a receipt on the sending side', () => {
  it('marks the sent handover acknowledged, or rejected with the codes', async () => {
    const ok = handover(A, B);
    // Rejected by B: the last day is past what the law allows.
    const bad = handover(A, B);
    bad.entitlement!.endsOn = '2031-05-01';
    const okFile = await sendFile(A, ok);
    const badFile = await sendFile(A, bad);
    await as(A, async () => {
      await registerSent(ok, sha(okFile), 'ok.json');
      await registerSent(bad, sha(badFile), 'bad.json');
    });
    const rb = await as(B, () => importFiles({ files: [okFile, badFile], lang: 'en', now: NOW }));
    const back = rb.files.map((f) => f.receiptFile!);
    const ra = await as(A, () => importFiles({ files: back, lang: 'en', now: NOW }));
    expect(ra.files.map((f) => f.findings)).toEqual([[], []]);
    expect(ra.exit).toBe(0);
    expect(ra.files.map((f) => [f.kind, f.outcome, f.status])).toEqual([
      ['receipt', 'accepted', 'acknowledged'],
      ['receipt', 'accepted', 'rejected'],
    ]);
    await as(A, async () => {
      const reg = await openRegister();
      expect(await reg.getHandover(ok.id, 'sent')).toMatchObject({
        status: 'acknowledged',
        receiptId: readReceipt(back[0]!).id,
      });
      expect((await reg.getHandover(bad.id, 'sent'))?.rejectionCodes).toEqual(['ENTITLEMENT_AGE_LIMIT']);
      await reg.close();
    });
    const twice = await as(A, () => importFiles({ files: [back[0]!], lang: 'en', now: NOW }));
    expect(twice.files[0]!.outcome).toBe('duplicate');
  });

  it('rejects a receipt for a handover we never sent', async () => {
    const doc = handover(A, B);
    const file = await sendFile(A, doc);
    const rb = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    const ra = await as(A, () => importFiles({ files: [rb.files[0]!.receiptFile!], lang: 'en', now: NOW }));
    expect(ra.exit).toBe(1);
    expect(ra.files[0]!.findings.map((f) => f.rule)).toEqual(['RECEIPT_UNKNOWN_HANDOVER']);
  });
});
