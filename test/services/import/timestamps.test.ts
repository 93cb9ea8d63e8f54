/**
 * The round trip A → B → receipt → A with timestamps on: `sign` and import's receipts ask a
 * real TSA on 127.0.0.1 (openssl ts -reply), both sides trust that TSA. When the TSA is gone,
 * import still answers, unstamped, and says so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, saveConfig } from '../../../src/config/store.js';
import { registerSent } from '../../../src/register/sent.js';
import { importFiles } from '../../../src/services/import/index.js';
import { signFile } from '../../../src/services/sign.js';
import { verifyDocument } from '../../../src/signing/jws.js';
import { addTrusted } from '../../../src/signing/trust.js';
import { as, handover, makeOrg, type Org, trustEachOther } from '../../register/orgs.js';
import { startTsa, type TestTsa } from '../../signing/tsa-server.js';

let A: Org;
let B: Org;
let tsa: TestTsa;
const NOW = () => new Date();
const withTsa = (org: Org, url: string) => as(org, () => saveConfig({ ...loadConfig(), timestamp: { url } }));

beforeAll(async () => {
  tsa = await startTsa();
  A = await makeOrg('Länsi-Testin hyvinvointialue', '0166906-4', '020');
  B = await makeOrg('Itä-Testin hyvinvointialue', '2082259-7', '091');
  await trustEachOther(A, B);
  for (const o of [A, B]) {
    await as(o, () => addTrusted(tsa.root.toString(), { name: 'tsa' }));
    await withTsa(o, tsa.url);
  }
});
afterAll(() => tsa.close());

/** A 1.1 handover signed by `sign` at A, registered as sent. */
async function sent(): Promise<{ file: string; id: string }> {
  const doc = { ...handover(A, B), schemaVersion: '1.1' as const };
  const raw = join(A.dir, `${doc.id.slice(0, 8)}.raw.json`);
  writeFileSync(raw, JSON.stringify(doc));
  const r = await as(A, () => signFile({ file: raw, now: new Date() }));
  expect(r.timestampedBy).toBe(tsa.url);
  const { sha256Hex } = await import('../../../src/io/hash.js');
  await as(A, () => registerSent(doc, sha256Hex(readFileSync(r.output)), 'sent.json'));
  return { file: r.output, id: doc.id };
}

describe('round trip with timestamps', () => {
  it('handover and receipt are stamped, verified against the trusted TSA, and acknowledged', async () => {
    const { file, id } = await sent();
    const signed = JSON.parse(readFileSync(file, 'utf8'));
    expect(signed.signature.timestamp).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const atB = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
    expect(atB.files[0]).toMatchObject({ outcome: 'accepted' });
    const receipt = JSON.parse(readFileSync(atB.files[0]!.receiptFile!, 'utf8'));
    expect(receipt.signature.timestamp).toBeDefined();
    const v = await as(A, () => verifyDocument(receipt));
    expect(v).toMatchObject({ status: 'valid' });
    expect(v.timestampedAt).toBeDefined();
    const back = await as(A, () =>
      importFiles({ files: [atB.files[0]!.receiptFile!], lang: 'en', now: NOW }),
    );
    expect(back.exit).toBe(0);
    expect(back.files[0]).toMatchObject({ outcome: 'accepted', status: 'acknowledged' });
    expect(back.files[0]!.handoverId).toBe(id);
  });

  it('a TSA that cannot be reached: import answers unstamped and says so (exit 0)', async () => {
    const { file } = await sent();
    await withTsa(B, 'http://127.0.0.1:9/tsa');
    try {
      const atB = await as(B, () => importFiles({ files: [file], lang: 'en', now: NOW }));
      expect(atB.exit).toBe(0);
      expect(atB.files[0]!.findings).toContainEqual(
        expect.objectContaining({ rule: 'TSA_UNAVAILABLE', severity: 'warning' }),
      );
      const receipt = JSON.parse(readFileSync(atB.files[0]!.receiptFile!, 'utf8'));
      expect(receipt.signature.timestamp).toBeUndefined();
    } finally {
      await withTsa(B, tsa.url);
    }
  });
});
