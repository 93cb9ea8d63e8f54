/**
 * vitest globalSetup: the shared test PKI, made once per run (both tiers) in a temporary folder
 * whose path every test reads with inject('testPki') (test/helpers/test-pki.ts). Before, the same
 * `openssl req -x509` ran in a dozen files, several times each.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { type KeyPair, keyPem, makeCertificate, rsaKeyPairAsync } from './pki.js';
import { ORG_KEYS, PARTIES, PKIS } from './pki-names.js';

declare module 'vitest' {
  export interface ProvidedContext {
    testPki: string;
  }
}

const write = (dir: string, name: string, cert: { toString(): string }, key: KeyPair) => {
  writeFileSync(join(dir, `${name}.pem`), cert.toString());
  writeFileSync(join(dir, `${name}.key`), keyPem(key), { mode: 0o600 });
};

async function make(dir: string): Promise<void> {
  // Every key at once on the thread pool; then the certificates, which are quick.
  const keys = await Promise.all([
    ...Object.keys(PKIS).flatMap(() => [rsaKeyPairAsync(3072), rsaKeyPairAsync(3072)]),
    ...Object.keys(PARTIES).map(() => rsaKeyPairAsync(2048)),
    rsaKeyPairAsync(2048),
    rsaKeyPairAsync(2048),
    ...Array.from({ length: ORG_KEYS }, () => rsaKeyPairAsync(3072)),
  ]);
  const next = (): KeyPair => keys.shift() as KeyPair;
  for (const [name, p] of Object.entries(PKIS)) {
    const d = join(dir, name);
    mkdirSync(d);
    const caKey = next();
    const ca = await makeCertificate({
      subject: [
        ['C', 'FI'],
        ['O', p.org],
        ['CN', 'Testi-CA Österbotten'],
      ],
      key: caKey,
      ca: true,
      keyUsage: ['keyCertSign', 'cRLSign'],
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 30 * 86_400_000),
    });
    const leafKey = next();
    const leaf = await makeCertificate({
      subject: [
        ['C', 'FI'],
        ['O', p.org],
        ...(p.businessId ? [['organizationIdentifier', `NTRFI-${p.businessId}`] as [string, string]] : []),
        ['CN', 'Eftervård – jälkihuolto'],
      ],
      key: leafKey,
      issuer: { cert: ca, key: caKey },
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 30 * 86_400_000),
    });
    write(d, 'ca', ca, caKey);
    write(d, 'leaf', leaf, leafKey);
  }
  const parties = join(dir, 'parties');
  mkdirSync(parties);
  for (const [name, org] of Object.entries(PARTIES)) {
    const key = next();
    // As `openssl req -x509` makes one: a self-signed CA:TRUE certificate without keyUsage.
    const cert = await makeCertificate({
      subject: [
        ['CN', name],
        ['O', org],
      ],
      key,
      ca: true,
      keyUsage: null,
      notBefore: new Date(Date.now() - 86_400_000),
      notAfter: new Date(Date.now() + 30 * 86_400_000),
    });
    write(parties, name, cert, key);
  }
  const tsa = join(dir, 'tsa');
  mkdirSync(tsa);
  const rootKey = next();
  const root = await makeCertificate({
    subject: [
      ['C', 'FI'],
      ['O', 'Testi TSA-juuri Oy'],
      ['CN', 'Testi TSA-juuri'],
    ],
    key: rootKey,
    ca: true,
  });
  const tsaKey = next();
  const tsaCert = await makeCertificate({
    subject: [['CN', 'Testi TSA']],
    key: tsaKey,
    issuer: { cert: root, key: rootKey },
    extKeyUsage: ['1.3.6.1.5.5.7.3.8'],
    notBefore: new Date(Date.now() - 86_400_000),
    notAfter: new Date(Date.now() + 2 * 86_400_000),
  });
  write(tsa, 'root', root, rootKey);
  write(tsa, 'tsa', tsaCert, tsaKey);
  const orgKeys = join(dir, 'org-keys');
  mkdirSync(orgKeys);
  for (let i = 0; i < ORG_KEYS; i++)
    writeFileSync(join(orgKeys, `${i}.key`), keyPem(next()), { mode: 0o600 });
}

// Both projects (unit, e2e) run this set-up in the same process: the PKI is made once, and
// removed by the set-up that made it.
const shared = globalThis as { handoverTestPki?: Promise<string> };

export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const owner = !shared.handoverTestPki;
  shared.handoverTestPki ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'handover-test-pki-'));
    await make(dir);
    return dir;
  })();
  const dir = await shared.handoverTestPki;
  project.provide('testPki', dir);
  return owner ? () => rmSync(dir, { recursive: true, force: true }) : undefined;
}
