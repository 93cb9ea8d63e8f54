/**
 * The OS keychain through keytar (service "handover", account = key alias; the secret is the
 * PKCS#8 DER in base64). keytar is an optional native dependency and the Secret Service may be
 * absent or stuck, so every call is bounded: unavailable → KEYSTORE_UNAVAILABLE (exit 4) at once.
 */
import { keystoreUnavailable } from './errors.js';
import type { KeyStore } from './types.js';

export const KEYCHAIN_SERVICE = 'handover';
/** gnome-keyring without a socket blocks keytar for 25 s; we give up long before that. */
const DEFAULT_TIMEOUT_MS = 5_000;

/** The part of keytar we use; a constructor argument so that the timeout can be tested. */
export interface Keytar {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<{ account: string; password: string }[]>;
}

async function loadKeytar(): Promise<Keytar> {
  try {
    const mod = (await import('keytar')) as unknown as { default?: Keytar } & Keytar;
    return mod.default ?? mod;
  } catch (e) {
    throw keystoreUnavailable('keytar-missing', e);
  }
}

/** Keeps the message free of anything the backend might echo: only a short reason key. */
function reasonOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  if (/DISPLAY|D-Bus|dbus/i.test(m)) return 'no-dbus';
  if (/secrets|Secret Service|ServiceUnknown/i.test(m)) return 'no-secret-service';
  if (/locked|dismissed|cancel/i.test(m)) return 'locked';
  return 'keychain-error';
}

export class KeychainKeyStore implements KeyStore {
  readonly kind = 'keychain' as const;
  private keytar: Keytar | undefined;

  constructor(
    private readonly timeoutMs = DEFAULT_TIMEOUT_MS,
    private readonly load: () => Promise<Keytar> = loadKeytar,
  ) {}

  private async call<T>(fn: (k: Keytar) => Promise<T>): Promise<T> {
    this.keytar ??= await this.load();
    const k = this.keytar;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(keystoreUnavailable('timeout')), this.timeoutMs);
    });
    try {
      return await Promise.race([
        fn(k).catch((e: unknown) => {
          throw keystoreUnavailable(reasonOf(e), e);
        }),
        timeout,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async put(alias: string, pkcs8Der: Uint8Array): Promise<void> {
    await this.call((k) => k.setPassword(KEYCHAIN_SERVICE, alias, Buffer.from(pkcs8Der).toString('base64')));
  }

  async get(alias: string): Promise<Uint8Array | undefined> {
    const s = await this.call((k) => k.getPassword(KEYCHAIN_SERVICE, alias));
    return s === null ? undefined : new Uint8Array(Buffer.from(s, 'base64'));
  }

  async remove(alias: string): Promise<boolean> {
    return this.call((k) => k.deletePassword(KEYCHAIN_SERVICE, alias));
  }

  async list(): Promise<string[]> {
    const creds = await this.call((k) => k.findCredentials(KEYCHAIN_SERVICE));
    return creds.map((c) => c.account).sort();
  }

  /** Fails with KEYSTORE_UNAVAILABLE when the keychain cannot be reached, before any work. */
  async probe(): Promise<void> {
    await this.call((k) => k.getPassword(KEYCHAIN_SERVICE, '.probe'));
  }
}
