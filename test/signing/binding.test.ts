import { generateKeyPairSync, type X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { certificateBusinessId } from '../../src/signing/binding.js';
import { createSelfSigned } from '../../src/signing/certs.js';
import { makeCertificate, rsaKeyPair } from '../helpers/pki.js';

// Made by the tests' own factory (pkijs), not by our `keys init`, with the subjects an outside CA could write.
const key = rsaKeyPair();
const cert = (subject: Array<[string, string]>): Promise<X509Certificate> =>
  makeCertificate({ subject, key, notAfter: new Date(Date.now() + 2 * 86_400_000) });

describe('certificateBusinessId', () => {
  it('reads the business ID that keys init writes (organizationIdentifier NTRFI-…)', async () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const cert = await createSelfSigned({
      privateKey,
      organizationName: 'Pohjanmaan hyvinvointialue – Österbottens välfärdsområde',
      businessId: '0166906-4',
    });
    expect(certificateBusinessId(cert)).toBe('0166906-4');
  });

  it('names none for a certificate without it, in another scheme, or with two different ones', async () => {
    expect(
      certificateBusinessId(
        await cert([
          ['C', 'FI'],
          ['O', 'Testi Oy'],
          ['CN', 'Testi'],
        ]),
      ),
    ).toBeUndefined();
    expect(
      certificateBusinessId(
        await cert([
          ['C', 'FI'],
          ['O', 'Testi'],
          ['organizationIdentifier', 'VATFI-15728600'],
          ['CN', 'T'],
        ]),
      ),
    ).toBeUndefined();
    expect(
      certificateBusinessId(
        await cert([
          ['C', 'FI'],
          ['O', 'T'],
          ['organizationIdentifier', 'NTRFI-1572860-0'],
          ['organizationIdentifier', 'NTRFI-0166906-4'],
          ['CN', 'T'],
        ]),
      ),
    ).toBeUndefined();
  });

  it('is not fooled by a common name that spells an organizationIdentifier', async () => {
    const c = await cert([
      ['C', 'FI'],
      ['O', 'T'],
      ['CN', 'x, organizationIdentifier=NTRFI-1572860-0'],
    ]);
    expect(certificateBusinessId(c)).toBeUndefined();
  });
});
