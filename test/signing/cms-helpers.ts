/** Keys and certificates for the CMS tests, made with the openssl CLI at test time. */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { softwareKey } from '../../src/keystore/software.js';
import type { DecryptionIdentity } from '../../src/signing/cms.js';

export interface TestParty {
  keyPath: string;
  certPath: string;
  /** The private key itself, for tests that store it. */
  privateKey: KeyObject;
  identity: DecryptionIdentity;
}

/** An RSA key and a self-signed certificate (openssl adds a subject key identifier). */
export function makeParty(dir: string, name: string, org: string): TestParty {
  const keyPath = join(dir, `${name}.key.pem`);
  const certPath = join(dir, `${name}.cert.pem`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyPath,
      '-out',
      certPath,
      '-days',
      '30',
      '-subj',
      `/CN=${name}/O=${org}`,
      '-utf8',
    ],
    { stdio: 'pipe', timeout: 30_000 },
  );
  const privateKey = createPrivateKey(readFileSync(keyPath));
  return {
    keyPath,
    certPath,
    privateKey,
    identity: { key: softwareKey(privateKey), chain: [new X509Certificate(readFileSync(certPath))] },
  };
}

export function openssl(args: string[], input?: Uint8Array): Buffer {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'], timeout: 30_000 });
}
