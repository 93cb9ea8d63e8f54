/**
 * Encrypted PKCS#8 files for headless servers: HANDOVER_HOME/keys/<alias>.key.p8, PEM
 * "ENCRYPTED PRIVATE KEY" (PBES2, PBKDF2-HMAC-SHA256 at 600,000 iterations, AES-256-CBC),
 * passphrase from HANDOVER_KEY_PASSPHRASE (at least 15 characters to write: keystore/errors.ts).
 * Files of older versions (2,048 iterations) still
 * open, and every write re-encrypts them at today's strength.
 * Chosen explicitly (`--store file` or config); never a fallback for a missing keychain.
 */
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { EXIT, HandoverError } from '../core/errors.js';
import { homePath } from '../core/paths.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { passphraseMissing, passphraseStrength } from './errors.js';
import { encryptPkcs8, isWeak } from './pbes2.js';
import type { KeyStore } from './types.js';

export const PASSPHRASE_ENV = 'HANDOVER_KEY_PASSPHRASE';
const SUFFIX = '.key.p8';

export const keyFilePath = (alias: string): string => homePath('keys', `${alias}${SUFFIX}`);

/** Asks for the passphrase on a terminal; set by the command when it has one. */
let asker: (() => Promise<string>) | undefined;
let asked: Promise<string> | undefined;

/**
 * How a command on a terminal asks for the key file's passphrase when HANDOVER_KEY_PASSPHRASE
 * is not set (asked once per command); none: the variable is required.
 */
export function setPassphraseAsker(ask: (() => Promise<string>) | undefined): void {
  asker = ask;
  asked = undefined;
}

export class FileKeyStore implements KeyStore {
  readonly kind = 'file' as const;

  /** `given`: a passphrase typed on a terminal (keys init); else HANDOVER_KEY_PASSPHRASE. */
  constructor(private readonly given?: string) {}

  private async passphrase(): Promise<string> {
    const p = this.given ?? process.env[PASSPHRASE_ENV];
    if (p !== undefined && p !== '') return p;
    if (asker) {
      asked ??= asker();
      const typed = await asked;
      if (typed !== '') return typed;
    }
    throw passphraseMissing();
  }

  /** The passphrase a key file is written under: present and strong (reading accepts any that opens). */
  private async writingPassphrase(): Promise<string> {
    const p = await this.passphrase();
    const weak = passphraseStrength(p);
    if (weak) throw weak;
    return p;
  }

  /** Before a key is made for this store: a passphrase is there and strong enough to write under. */
  async probe(): Promise<void> {
    await this.writingPassphrase();
  }

  async put(alias: string, pkcs8Der: Uint8Array): Promise<void> {
    // The file's place is fixed when the call is made, before any prompt is awaited.
    const target = keyFilePath(alias);
    const pass = await this.writingPassphrase();
    // Parsed first, so that bytes that are no key are refused before anything is written.
    const key = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
    const der = key.export({ type: 'pkcs8', format: 'der' });
    writeFileAtomic(target, await encryptPkcs8(der, pass), { force: true, mkdir: true });
    await this.upgrade(pass, alias);
  }

  /**
   * Re-encrypts the other key files that an older version wrote with a weak KDF. A file this
   * passphrase does not open is left as it is: it is someone else's to upgrade.
   */
  private async upgrade(pass: string, except: string): Promise<void> {
    for (const alias of await this.list()) {
      if (alias === except) continue;
      const file = keyFilePath(alias);
      try {
        const pem = readFileSync(file, 'utf8');
        if (!isWeak(pem)) continue;
        const der = createPrivateKey({ key: pem, format: 'pem', passphrase: pass }).export({
          type: 'pkcs8',
          format: 'der',
        });
        writeFileAtomic(file, await encryptPkcs8(der, pass), { force: true });
      } catch {
        // Unreadable or another passphrase: it still opens as before.
      }
    }
  }

  async get(alias: string): Promise<Uint8Array | undefined> {
    let pem: string;
    try {
      pem = readFileSync(keyFilePath(alias), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new HandoverError('KEY_UNREADABLE', EXIT.environment, {
        key: 'keys.KEY_UNREADABLE',
        vars: { alias },
        cause: e,
      });
    }
    const pass = await this.passphrase();
    try {
      const key = createPrivateKey({ key: pem, format: 'pem', passphrase: pass });
      return new Uint8Array(key.export({ type: 'pkcs8', format: 'der' }));
    } catch (e) {
      throw new HandoverError('KEY_PASSPHRASE_WRONG', EXIT.environment, {
        key: 'keys.KEY_PASSPHRASE_WRONG',
        vars: { alias },
        cause: e,
      });
    }
  }

  async remove(alias: string): Promise<boolean> {
    try {
      unlinkSync(keyFilePath(alias));
      return true;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new HandoverError('OUTPUT_FAILED', EXIT.io, {
        vars: { file: keyFilePath(alias), reason: (e as NodeJS.ErrnoException).code ?? 'EIO' },
        cause: e,
      });
    }
  }

  async list(): Promise<string[]> {
    try {
      return readdirSync(homePath('keys'))
        .filter((f) => f.endsWith(SUFFIX))
        .map((f) => f.slice(0, -SUFFIX.length))
        .sort();
    } catch {
      return [];
    }
  }
}
