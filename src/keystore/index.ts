/**
 * Entry point of the key store for the rest of the product: which backend, and the signing
 * identity (private key from the store, public certificate chain from HANDOVER_HOME/keys/).
 */
import { createPrivateKey, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/store.js';
import { EXIT, HandoverError } from '../errors.js';
import { homePath } from '../paths.js';
import { keyMatchesCert, parsePemChain } from '../signing/certs.js';
import { keyNotFound } from './errors.js';
import { FileKeyStore } from './file.js';
import { KeychainKeyStore } from './keychain.js';
import { MemoryKeyStore } from './memory.js';
import type { KeyStore, KeyStoreKind, SigningIdentity } from './types.js';

export type { KeyStore, KeyStoreKind, SigningIdentity } from './types.js';

export const DEFAULT_ALIAS = 'default';
const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Aliases become file names and keychain accounts: a narrow alphabet keeps both safe. */
export function checkAlias(alias: string): string {
  if (!ALIAS.test(alias) || alias.includes('..')) {
    throw new HandoverError('ALIAS_INVALID', EXIT.usage, { key: 'keys.ALIAS_INVALID', vars: { alias } });
  }
  return alias;
}

export const chainPath = (alias: string): string => homePath('keys', `${checkAlias(alias)}.chain.pem`);
/** Public metadata beside the chain: which store holds the key. Never key bytes. */
export const metaPath = (alias: string): string => homePath('keys', `${checkAlias(alias)}.meta.json`);

export interface KeyMeta {
  alias: string;
  store: KeyStoreKind;
  createdAt: string;
  origin: 'generated' | 'imported';
}

export function readKeyMeta(alias: string): KeyMeta | undefined {
  try {
    return JSON.parse(readFileSync(metaPath(alias), 'utf8')) as KeyMeta;
  } catch {
    return undefined;
  }
}

// One memory store per process, so that unit tests can put a key and load it back.
let memory: KeyStore | undefined;

const isKind = (k: unknown): k is KeyStoreKind => k === 'keychain' || k === 'file' || k === 'memory';

/**
 * The key store: the explicit kind, else the configured `defaults.keyStore`, else the OS
 * keychain. Never falls back from one to another: an unavailable keychain is an error.
 */
export async function openKeyStore(kind?: KeyStoreKind): Promise<KeyStore> {
  const configured = kind === undefined ? loadConfig().defaults?.keyStore : undefined;
  const chosen: KeyStoreKind = kind ?? (isKind(configured) ? configured : 'keychain');
  switch (chosen) {
    case 'file': {
      return new FileKeyStore();
    }
    case 'memory': {
      memory ??= new MemoryKeyStore();
      return memory;
    }
    default: {
      return new KeychainKeyStore();
    }
  }
}

/** The alias to use: explicit, else config `defaults.keyAlias`, else "default". */
export const resolveAlias = (alias?: string): string =>
  checkAlias(alias ?? loadConfig().defaults?.keyAlias ?? DEFAULT_ALIAS);

/** The store that holds an alias: explicit kind, else where `keys init/import` put it, else config. */
async function storeFor(alias: string, kind?: KeyStoreKind): Promise<KeyStore> {
  return openKeyStore(kind ?? readKeyMeta(alias)?.store);
}

/** The certificate chain of an alias (leaf first), from HANDOVER_HOME/keys/<alias>.chain.pem. */
export function loadChain(alias: string): X509Certificate[] {
  let text: string;
  try {
    text = readFileSync(chainPath(alias), 'utf8');
  } catch {
    throw keyNotFound(alias);
  }
  return parsePemChain(text);
}

/** The private key as PKCS#8 DER (for CMS decryption with pkijs). */
export async function loadPrivateKeyDer(alias?: string, kind?: KeyStoreKind): Promise<Uint8Array> {
  const a = resolveAlias(alias);
  const der = await (await storeFor(a, kind)).get(a);
  if (!der) throw keyNotFound(a);
  return der;
}

/** A key ready to sign with. Checks that the stored key belongs to the stored certificate. */
export async function loadSigningIdentity(alias?: string, kind?: KeyStoreKind): Promise<SigningIdentity> {
  const a = resolveAlias(alias);
  const chain = loadChain(a);
  const der = await loadPrivateKeyDer(a, kind);
  const privateKey = createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' });
  if (!keyMatchesCert(privateKey, chain[0]!)) {
    throw new HandoverError('KEY_CERT_MISMATCH', EXIT.environment, {
      key: 'keys.KEY_CERT_MISMATCH',
      vars: { alias: a },
    });
  }
  return { alias: a, privateKey, chain };
}
