/**
 * Issue 22.6: partner C signs a handover that claims the sender name "Lähettäjä Oy" with C's
 * own business ID. The signature is C's and valid, so it is accepted; but the line a worker
 * reads must name what was verified (the business ID and the organisation of the signing
 * certificate), not only the display name the file claims.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import Import from '../../src/commands/import.js';
import { runCommand, tempDir } from '../helpers/cli.js';
import { handover, makeOrg, type Org, sendFile, trustEachOther } from '../register/orgs.js';

let B: Org;
let C: Org;

beforeAll(async () => {
  B = await makeOrg('Pohjanmaan hyvinvointialue', '0166906-4', '905');
  C = await makeOrg('Kolmas osapuoli', '2082259-7', '091');
  await trustEachOther(B, C);
}, 120_000);

describe('import names the verified sender', () => {
  it.each([
    ['en', 'business ID 2082259-7', 'certificate of Kolmas osapuoli'],
    ['fi', 'Y-tunnus 2082259-7', 'organisaation Kolmas osapuoli varmenteella'],
    ['sv', 'FO-nummer 2082259-7', 'certifikatet för Kolmas osapuoli'],
  ])(
    '%s: the business ID and the certificate organisation beside the claimed name',
    async (lang, id, cert) => {
      const doc = handover(C, B);
      doc.sender.organization.name = 'Lähettäjä Oy';
      const file = await sendFile(C, doc);
      const r = await runCommand(Import, [file, '--out', tempDir(), '--lang', lang], B.env);
      expect(r.exitCode).toBe(0);
      const line = r.stdout.split('\n').find((l) => l.includes(doc.id))!;
      expect(line).toContain('Lähettäjä Oy');
      expect(line).toContain(id);
      expect(line).toContain(cert);
    },
  );

  it('--json carries the verified identity as signedBy', async () => {
    const doc = handover(C, B);
    doc.sender.organization.name = 'Lähettäjä Oy';
    const file = await sendFile(C, doc);
    const r = await runCommand(Import, [file, '--out', tempDir(), '--json'], B.env);
    const f = JSON.parse(r.stdout).files[0];
    expect(f.from).toMatchObject({ organization: 'Lähettäjä Oy', businessId: '2082259-7' });
    expect(f.signedBy).toMatchObject({ organization: 'Kolmas osapuoli', businessId: '2082259-7' });
    expect(f.signedBy.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });
});
