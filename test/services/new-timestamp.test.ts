/**
 * With timestamp.url set, `new` stamps what it signs (SPEC §7): the handover file carries
 * signature.timestamp, and the cover letter's CMS signature carries the signature-time-stamp
 * attribute (PAdES B-T). A real TSA answers on 127.0.0.1; --no-timestamp signs without.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import New from '../../src/commands/new.js';
import { loadConfig, saveConfig } from '../../src/config/store.js';
import { addTrusted } from '../../src/signing/trust.js';
import { runCommand, tempDir } from '../helpers/cli.js';
import { as, handover, makeOrg, type Org } from '../register/orgs.js';
import { startTsa, type TestTsa } from '../signing/tsa-server.js';

// The DER of OID 1.2.840.113549.1.9.16.2.14 (id-aa-signatureTimeStampToken).
const TST_OID = '060b2a864886f70d010910020e';
let A: Org;
let B: Org;
let tsa: TestTsa;

beforeAll(async () => {
  tsa = await startTsa();
  A = await makeOrg('Länsi-Testin hyvinvointialue', '0166906-4', '020');
  B = await makeOrg('Itä-Testin hyvinvointialue', '2082259-7', '091');
  await as(A, () => addTrusted(tsa.root.toString(), { name: 'tsa' }));
  await as(A, () => saveConfig({ ...loadConfig(), timestamp: { url: tsa.url } }));
});
afterAll(() => tsa.close());

/** The hex of the PDF signature's /Contents: the CMS SignedData. */
const cmsHex = (pdf: Buffer): string =>
  /\/Contents\s*<([0-9a-fA-F]+)>/.exec(pdf.toString('latin1'))?.[1] ?? '';

async function runNew(extra: string[]): Promise<{ out: string; exitCode: number }> {
  const draft = join(A.dir, `draft-${Math.random().toString(16).slice(2)}.json`);
  const doc = handover(A, B) as unknown as Record<string, unknown>;
  delete doc.schemaVersion;
  writeFileSync(draft, JSON.stringify(doc));
  const out = tempDir('handover-new-ts-');
  const r = await runCommand(
    New,
    ['--answers', draft, '--no-interactive', '--out', out, '--json', ...extra],
    A.env,
  );
  return { out, exitCode: r.exitCode };
}

describe('new with timestamp.url', () => {
  it('stamps the handover file and the cover letter', async () => {
    const { out, exitCode } = await runNew([]);
    expect(exitCode).toBe(0);
    const files = readdirSync(out);
    const json = JSON.parse(
      readFileSync(join(out, files.find((f) => f.endsWith('.handover.json'))!), 'utf8'),
    );
    expect(json.schemaVersion).toBe('1.2');
    expect(json.signature.timestamp).toMatch(/^[A-Za-z0-9+/]+=*$/);
    const pdf = readFileSync(join(out, files.find((f) => f.endsWith('.cover-letter.pdf'))!));
    expect(cmsHex(pdf).toLowerCase()).toContain(TST_OID);
  });

  it('signs without a token with --no-timestamp', async () => {
    const { out, exitCode } = await runNew(['--no-timestamp']);
    expect(exitCode).toBe(0);
    const files = readdirSync(out);
    const json = JSON.parse(
      readFileSync(join(out, files.find((f) => f.endsWith('.handover.json'))!), 'utf8'),
    );
    expect(json.signature.timestamp).toBeUndefined();
    const pdf = readFileSync(join(out, files.find((f) => f.endsWith('.cover-letter.pdf'))!));
    expect(cmsHex(pdf).toLowerCase()).not.toContain(TST_OID);
  });
});
