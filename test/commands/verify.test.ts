/** `handover verify` names who signed: our own key, or an unknown signer with its fingerprint to compare. */
import { describe, expect, test } from 'vitest';
import Verify from '../../src/commands/verify.js';
import { runCommand } from '../helpers/cli.js';
import { handover, makeOrg, sendFile } from '../register/orgs.js';

describe('verify', () => {
  test('our own file: valid, "signed with our own key"; the partner without trust: the fingerprint to compare', async () => {
    const A = await makeOrg('Länsi-Testin hyvinvointialue', '0166906-4', '020');
    const B = await makeOrg('Itä-Testin hyvinvointialue', '2082259-7', '091');
    const file = await sendFile(A, handover(A, B));
    const own = await runCommand(Verify, [file], A.env);
    expect(own.exitCode).toBe(0);
    expect(own.stdout).toContain('signed with our own key');
    const ownJson = JSON.parse((await runCommand(Verify, [file, '--json'], A.env)).stdout);
    expect(ownJson).toMatchObject({ ok: true, ownKey: true, signerBusinessId: A.businessId });

    const partner = await runCommand(Verify, [file], B.env);
    expect(partner.exitCode).toBe(1);
    const fp = ownJson.signer.fingerprint256 as string;
    expect(partner.stdout).toContain('NOT trusted');
    expect(partner.stdout).toContain(`handover trust add <certificate> --fingerprint ${fp}`);
  });
});
