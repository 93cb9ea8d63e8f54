/**
 * Entry point of the key store for the rest of the product: which backend, and the signing
 * identity (private key from the store, public certificate chain from HANDOVER_HOME/keys/).
 */
import { createPrivateKey, type X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { loadConfig } from '../config/store.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { homePath } from '../core/paths.js';
import { keyMatchesCert, parsePemChain } from '../signing/certs.js';
import { keyNotFound, pinMissing } from './errors.js';
import { FileKeyStore } from './file.js';

export { setPassphraseAsker } from './file.js';

import { KeychainKeyStore } from './keychain.js';
import { MemoryKeyStore } from './memory.js';
import { openTokenKey, PIN_ENV, type TokenRef } from './pkcs11.js';
import { softwareKey } from './software.js';
import type { KeyHandle, KeyStore, KeyStoreKind, PinSource, SigningIdentity } from './types.js';

export type { KeyHandle, KeyStore, KeyStoreKind, PinSource, SigningIdentity } from './types.js';

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

/** Where an alias's private key lives: a key store, or a PKCS#11 token (SPEC §11). */
export type KeyLocation = KeyStoreKind | 'pkcs11';

export interface KeyMeta {
  alias: string;
  store: KeyLocation;
  createdAt: string;
  origin: 'generated' | 'imported';
  /** For store "pkcs11": module path, token label and key label. Never the PIN. */
  pkcs11?: TokenRef;
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
export async function openKeyStore(
  kind?: KeyStoreKind,
  opts: { passphrase?: string } = {},
): Promise<KeyStore> {
  const configured = kind === undefined ? loadConfig().defaults?.keyStore : undefined;
  const chosen: KeyStoreKind = kind ?? (isKind(configured) ? configured : 'keychain');
  switch (chosen) {
    case 'file': {
      return new FileKeyStore(opts.passphrase);
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
  const stored = readKeyMeta(alias)?.store;
  return openKeyStore(kind ?? (stored === 'pkcs11' ? undefined : stored));
}

/** The PIN: HANDOVER_PKCS11_PIN, else the asker, else PKCS11_PIN_MISSING (exit 4) naming the variable. */
export async function tokenPin(token: string, ask?: PinSource): Promise<string> {
  const fromEnv = process.env[PIN_ENV];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  if (ask) return ask(token);
  throw pinMissing();
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

/**
 * A key ready to sign with: from the key store, or from the token that `keys import --pkcs11`
 * recorded for the alias (which wins over `kind`, a flag or defaults.keyStore). Checks that the key
 * belongs to the stored certificate.
 */
export async function loadSigningIdentity(
  alias?: string,
  kind?: KeyStoreKind,
  opts: { pin?: PinSource } = {},
): Promise<SigningIdentity> {
  const a = resolveAlias(alias);
  const chain = loadChain(a);
  // A token alias is a token alias whatever store a flag or defaults.keyStore names: its key is nowhere else.
  const meta = readKeyMeta(a);
  let key: KeyHandle;
  if (meta?.store === 'pkcs11' && meta.pkcs11) {
    key = (await openTokenKey(meta.pkcs11, await tokenPin(meta.pkcs11.token, opts.pin))).key;
  } else {
    const der = await loadPrivateKeyDer(a, kind);
    key = softwareKey(createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' }));
  }
  if (!keyMatchesCert(key.publicKey, chain[0]!)) {
    throw new HandoverError('KEY_CERT_MISMATCH', EXIT.environment, {
      key: 'keys.KEY_CERT_MISMATCH',
      vars: { alias: a },
    });
  }
  return { alias: a, key, chain };
}
