import { execFileSync } from 'node:child_process';
import { generateKeyPairSync, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { certificateBusinessId } from '../../src/signing/binding.js';
import { createSelfSigned } from '../../src/signing/certs.js';
import { tempDir } from '../helpers/cli.js';

const opensslCert = (subject: string): X509Certificate => {
  const dir = tempDir('handover-binding-');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'k.pem',
      '-out',
      'c.pem',
      '-days',
      '2',
      '-utf8',
      '-subj',
      subject,
    ],
    { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return new X509Certificate(readFileSync(join(dir, 'c.pem')));
};

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

  it('names none for a certificate without it, in another scheme, or with two different ones', () => {
    expect(certificateBusinessId(opensslCert('/C=FI/O=Testi Oy/CN=Testi'))).toBeUndefined();
    expect(
      certificateBusinessId(opensslCert('/C=FI/O=Testi/organizationIdentifier=VATFI-15728600/CN=T')),
    ).toBeUndefined();
    expect(
      certificateBusinessId(
        opensslCert(
          '/C=FI/O=T/organizationIdentifier=NTRFI-1572860-0/organizationIdentifier=NTRFI-0166906-4/CN=T',
        ),
      ),
    ).toBeUndefined();
  });

  it('is not fooled by a common name that spells an organizationIdentifier', () => {
    const cert = opensslCert('/C=FI/O=T/CN=x\\, organizationIdentifier=NTRFI-1572860-0');
    expect(certificateBusinessId(cert)).toBeUndefined();
  });
});
