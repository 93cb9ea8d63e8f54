/**
 * The shared test PKI as tests see it: made once per run by test/helpers/pki-setup.ts, read
 * here from the folder it provides. Each call copies the files into the caller's own folder, so
 * a test may write beside them without touching another file's copy.
 */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { inject } from 'vitest';
import { ORG_KEYS, PARTIES, PKIS } from './pki-names.js';

export const sharedPkiDir = (): string => {
  const dir = inject('testPki');
  if (!dir) throw new Error('no shared test PKI: vitest.config.ts runs test/helpers/pki-setup.ts');
  return dir;
};

/** The PKI (CA + signing certificate) made for this organisation and business ID. */
export function pkiFiles(
  dir: string,
  org: string,
  businessId?: string,
): Record<'ca' | 'leaf', { pem: string; key: string }> {
  const name = Object.entries(PKIS).find(([, p]) => p.org === org && p.businessId === businessId)?.[0];
  if (!name)
    throw new Error(`no shared test PKI for ${org} ${businessId ?? ''}: add it to test/helpers/pki-names.ts`);
  const src = join(sharedPkiDir(), name);
  const out = {} as Record<'ca' | 'leaf', { pem: string; key: string }>;
  for (const f of ['ca', 'leaf'] as const) {
    copyFileSync(join(src, `${f}.pem`), join(dir, `${f}.pem`));
    copyFileSync(join(src, `${f}.key`), join(dir, `${f}.key`));
    out[f] = { pem: join(dir, `${f}.pem`), key: join(dir, `${f}.key`) };
  }
  return out;
}

/** A self-signed party (PARTIES), copied as <name>.key.pem and <name>.cert.pem into dir. */
export function partyFiles(dir: string, name: string, org: string): { keyPath: string; certPath: string } {
  if (PARTIES[name] !== org)
    throw new Error(`no shared test party ${name} of ${org}: add it to test/helpers/pki-names.ts`);
  const src = join(sharedPkiDir(), 'parties');
  const keyPath = join(dir, `${name}.key.pem`);
  const certPath = join(dir, `${name}.cert.pem`);
  copyFileSync(join(src, `${name}.key`), keyPath);
  copyFileSync(join(src, `${name}.pem`), certPath);
  return { keyPath, certPath };
}

/** The test TSA's root and its timeStamping certificate, copied into dir. */
export function tsaFiles(dir: string): { rootPem: string; rootKey: string; tsaPem: string; tsaKey: string } {
  const src = join(sharedPkiDir(), 'tsa');
  const out = { rootPem: 'root.pem', rootKey: 'root.key', tsaPem: 'tsa.pem', tsaKey: 'tsa.key' };
  for (const f of Object.values(out)) copyFileSync(join(src, f), join(dir, f));
  return {
    rootPem: readFileSync(join(dir, out.rootPem), 'utf8'),
    rootKey: join(dir, out.rootKey),
    tsaPem: join(dir, out.tsaPem),
    tsaKey: join(dir, out.tsaKey),
  };
}

let orgKey = 0;
/** The next RSA-3072 key made ahead, distinct for the first ORG_KEYS organisations of a test file. */
export function nextOrgKey(): KeyObject {
  const i = orgKey++ % ORG_KEYS;
  return createPrivateKey(readFileSync(join(sharedPkiDir(), 'org-keys', `${i}.key`)));
}
