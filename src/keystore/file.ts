/**
 * Encrypted PKCS#8 files for headless servers: HANDOVER_HOME/keys/<alias>.key.p8, PEM
 * "ENCRYPTED PRIVATE KEY" (PBES2, AES-256-CBC), passphrase from HANDOVER_KEY_PASSPHRASE.
 * Chosen explicitly (`--store file` or config); never a fallback for a missing keychain.
 */
import { createPrivateKey } from 'node:crypto';
import { readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { EXIT, HandoverError } from '../errors.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { homePath } from '../paths.js';
import { passphraseMissing } from './errors.js';
import type { KeyStore } from './types.js';

export const PASSPHRASE_ENV = 'HANDOVER_KEY_PASSPHRASE';
const SUFFIX = '.key.p8';

export const keyFilePath = (alias: string): string => homePath('keys', `${alias}${SUFFIX}`);

function passphrase(): string {
  const p = process.env[PASSPHRASE_ENV];
  if (p === undefined || p === '') throw passphraseMissing();
  return p;
}

export class FileKeyStore implements KeyStore {
  readonly kind = 'file' as const;

  async put(alias: string, pkcs8Der: Uint8Array): Promise<void> {
    const pass = passphrase();
    const key = createPrivateKey({ key: Buffer.from(pkcs8Der), format: 'der', type: 'pkcs8' });
    const pem = key.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: pass });
    writeFileAtomic(keyFilePath(alias), pem, { force: true, mkdir: true });
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
    const pass = passphrase();
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
