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

/**
 * The signature schemes the product uses: PS256 and RS256 for the JWS, RSA PKCS #1 v1.5 with
 * SHA-256 for the PAdES CMS, ES256 for an organisation with an EC certificate. ECDSA returns
 * r‖s (IEEE P1363), the form a JWS carries.
 */
export type SignMechanism = 'rsa-pss-sha256' | 'rsa-pkcs1-sha256' | 'ecdsa-sha256';

/** The OAEP hash of a `.p7m` recipient (RFC 8017; MGF1 with the same hash). */
export type OaepHash = 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512';

/**
 * A private key as the signing code sees it: it signs and decrypts, and never hands out its
 * bytes. Two implementations: a KeyObject in memory (keychain, file, memory stores:
 * `keystore/software.ts`) and a key inside a PKCS#11 token (`keystore/pkcs11.ts`).
 */
export interface KeyHandle {
  readonly type: 'rsa' | 'ec';
  /** Where the private key lives: in this process, or in a token it never leaves. */
  readonly location: 'software' | 'pkcs11';
  /** The public half (SPKI), to pair the key with its certificate. */
  readonly publicKey: KeyObject;
  sign(mechanism: SignMechanism, data: Uint8Array): Promise<Uint8Array>;
  /** RSA-OAEP key transport: the content-encryption key of a `.p7m`. */
  decryptOaep(encrypted: Uint8Array, params: { hash: OaepHash; label?: Uint8Array }): Promise<Uint8Array>;
}

/** A key ready to sign with: the key and its certificate chain, leaf first. */
export interface SigningIdentity {
  alias: string;
  key: KeyHandle;
  chain: X509Certificate[];
}

/** Asks for a token's PIN when HANDOVER_PKCS11_PIN is not set (a prompt on a terminal, from `prompts/`). */
export type PinSource = (token: string) => Promise<string>;
