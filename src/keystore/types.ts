/**
 * The key store: where private keys live. Backends: the OS keychain through keytar (default),
 * an encrypted PKCS#8 file whose passphrase comes from HANDOVER_KEY_PASSPHRASE (explicit, for
 * headless servers), and memory (tests only). Certificates are public and live as PEM under
 * HANDOVER_HOME/keys/; private key bytes never touch HANDOVER_HOME unencrypted.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';

export type KeyStoreKind = 'keychain' | 'file' | 'memory';

export interface KeyStore {
  readonly kind: KeyStoreKind;
  /** Stores a private key (PKCS#8 DER) under an alias. */
  put(alias: string, pkcs8Der: Uint8Array): Promise<void>;
  /** The private key (PKCS#8 DER), or undefined when there is none under that alias. */
  get(alias: string): Promise<Uint8Array | undefined>;
  /** Removes the key; false when there was none. */
  remove(alias: string): Promise<boolean>;
  /** Aliases that have a key in this store. */
  list(): Promise<string[]>;
  /** Fails fast (KEYSTORE_UNAVAILABLE) when the store cannot be reached at all. */
  probe?(): Promise<void>;
}

/** A key ready to sign with: the private key and its certificate chain, leaf first. */
export interface SigningIdentity {
  alias: string;
  privateKey: KeyObject;
  chain: X509Certificate[];
}
