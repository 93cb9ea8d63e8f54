/**
 * `import` takes what actually arrives: a sealed .p7m (SPEC §9) and a cover-letter PDF with
 * the handover file attached (SPEC §6), not only the bare JSON.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { seal } from '../../../src/documents/seal.js';
import { importFiles } from '../../../src/services/import/index.js';
import { writeLetter } from '../../../src/services/letter.js';
import { tempDir } from '../../helpers/cli.js';
import { as, handover, makeOrg, type Org, sendFile, trustEachOther } from '../../register/orgs.js';

let A: Org;
let B: Org;
let C: Org;

beforeAll(async () => {
  A = await makeOrg('Pirkanmaan hyvinvointialue', '1572860-0', '837');
  B = await makeOrg('Pohjanmaan hyvinvointialue', '0166906-4', '905');
  C = await makeOrg('Kolmas osapuoli', '2082259-7', '091');
  await trustEachOther(A, B);
  await trustEachOther(A, C);
}, 120_000);

describe('import of what arrives', () => {
  it('opens a .p7m sealed for us and imports the handover inside', async () => {
    const file = await sendFile(A, handover(A, B));
    const certB = join(tempDir(), 'b.pem');
    (await import('node:fs')).writeFileSync(certB, B.certPem);
    const sealed = await as(A, () => seal({ files: [file], to: certB, outDir: tempDir() }));
    const p7m = sealed.files[0]!.output;
    const r = await as(B, () => importFiles({ files: [p7m], lang: 'en', out: tempDir() }));
    expect(r.exit).toBe(0);
    expect(r.files[0]).toMatchObject({ kind: 'handover', outcome: 'accepted', status: 'accepted' });
    // The register keeps the hash of the handover file itself, not of its envelope.
    const { createHash } = await import('node:crypto');
    expect(r.files[0]!.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
  });

  it('refuses a .p7m sealed for someone else, naming why, without a receipt', async () => {
    const file = await sendFile(A, handover(A, C));
    const certC = join(tempDir(), 'c.pem');
    (await import('node:fs')).writeFileSync(certC, C.certPem);
    const sealed = await as(A, () => seal({ files: [file], to: certC, outDir: tempDir() }));
    const r = await as(B, () =>
      importFiles({ files: [sealed.files[0]!.output], lang: 'en', out: tempDir() }),
    );
    expect(r.exit).toBe(1);
    expect(r.files[0]!.findings.map((f) => f.rule)).toEqual(['P7M_NOT_FOR_US']);
    expect(r.files[0]!.receiptFile).toBeUndefined();
  });

  it('imports the handover attached to a signed cover letter', async () => {
    const file = await sendFile(A, handover(A, B));
    const letter = await as(A, () => writeLetter({ file, lang: 'en', outDir: tempDir() }));
    const pdf = letter.files.find((f) => f.kind === 'cover-letter')!.path;
    const r = await as(B, () => importFiles({ files: [pdf], lang: 'en', out: tempDir() }));
    expect(r.exit).toBe(0);
    expect(r.files[0]).toMatchObject({ kind: 'handover', outcome: 'accepted' });
    // The same handover as bare JSON afterwards is the same file: nothing changes.
    const again = await as(B, () => importFiles({ files: [file], lang: 'en', out: tempDir() }));
    expect(again.files[0]!.outcome).toBe('duplicate');
  });
});

describe('import validates with our own catalogue', () => {
  it('accepts a service code that our organisation added to the catalogue, as validate does', async () => {
    const { loadConfig, saveConfig } = await import('../../../src/config/store.js');
    const doc = handover(A, B, {
      services: [
        { id: 's1', code: 'peer-group', classification: 'basic', provider: 'recipient', payer: 'recipient' },
      ],
    });
    const file = await sendFile(A, doc);
    const before = await as(B, () => importFiles({ files: [file], lang: 'en', dryRun: true }));
    expect(before.files[0]!.findings.map((f) => f.rule)).toContain('SERVICE_CODE_UNKNOWN');
    await as(B, () => {
      const c = loadConfig();
      saveConfig({
        ...c,
        services: { 'peer-group': { classification: 'basic', name: { fi: 'vertaisryhmä' } } },
      });
    });
    const after = await as(B, () => importFiles({ files: [file], lang: 'en', out: tempDir() }));
    expect(after.files[0]).toMatchObject({ outcome: 'accepted', findings: [] });
  });
});
