/** Keys and certificates for the CMS tests (the shared test PKI), and the openssl CLI that checks them. */
import { execFileSync } from 'node:child_process';
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { softwareKey } from '../../src/keystore/software.js';
import type { DecryptionIdentity } from '../../src/signing/cms.js';
import { partyFiles } from '../helpers/test-pki.js';

export interface TestParty {
  keyPath: string;
  certPath: string;
  /** The private key itself, for tests that store it. */
  privateKey: KeyObject;
  identity: DecryptionIdentity;
}

/** An RSA key and a self-signed certificate (with a subject key identifier) from the shared test PKI. */
export function makeParty(dir: string, name: string, org: string): TestParty {
  const { keyPath, certPath } = partyFiles(dir, name, org);
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
