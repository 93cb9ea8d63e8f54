/** Errors of the key store, in the `keys` message namespace. */
import { EXIT, HandoverError } from '../core/errors.js';

/** No usable OS keychain (or keytar missing): exit 4, and the message names `--store file`. */
export const keystoreUnavailable = (reason: string, cause?: unknown): HandoverError =>
  new HandoverError('KEYSTORE_UNAVAILABLE', EXIT.environment, {
    key: 'keys.KEYSTORE_UNAVAILABLE',
    vars: { reason },
    cause,
  });

/**
 * A missing key is an environment problem (exit 4), like a missing keychain: the machine is not
 * set up to sign yet, and the fix is `keys init` or `keys import`, not a change to the input.
 */
export const keyNotFound = (alias: string): HandoverError =>
  new HandoverError('KEY_NOT_FOUND', EXIT.environment, { key: 'keys.KEY_NOT_FOUND', vars: { alias } });

export const passphraseMissing = (): HandoverError =>
  new HandoverError('KEY_PASSPHRASE_MISSING', EXIT.environment, { key: 'keys.KEY_PASSPHRASE_MISSING' });

/** A token key needs its PIN: from HANDOVER_PKCS11_PIN, or asked on a terminal. Exit 4, naming the variable. */
export const pinMissing = (): HandoverError =>
  new HandoverError('PKCS11_PIN_MISSING', EXIT.environment, { key: 'keys.PKCS11_PIN_MISSING' });

/**
 * NIST SP 800-63B-4 §3.1.1.2: a password that is the only factor is at least 15 characters. A
 * stolen key file leaves its passphrase as the only barrier against offline guessing, so a key
 * file is written only under a passphrase of 15 characters (Unicode code points after NFC, as
 * 800-63B counts them) that is not one character repeated.
 */
export const MIN_PASSPHRASE_LENGTH = 15;

export function passphraseStrength(p: string): HandoverError | undefined {
  const chars = [...p.normalize('NFC')];
  if (chars.length >= MIN_PASSPHRASE_LENGTH && new Set(chars).size > 1) return undefined;
  return new HandoverError('KEY_PASSPHRASE_WEAK', EXIT.environment, {
    key: 'keys.KEY_PASSPHRASE_WEAK',
    vars: { length: chars.length, min: MIN_PASSPHRASE_LENGTH },
  });
}
