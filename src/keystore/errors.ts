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
