/** In-memory key store, for unit tests only: nothing survives the process. */
import type { KeyStore } from './types.js';

export class MemoryKeyStore implements KeyStore {
  readonly kind = 'memory' as const;
  private readonly keys = new Map<string, Uint8Array>();

  async put(alias: string, pkcs8Der: Uint8Array): Promise<void> {
    this.keys.set(alias, new Uint8Array(pkcs8Der));
  }

  async get(alias: string): Promise<Uint8Array | undefined> {
    const k = this.keys.get(alias);
    return k ? new Uint8Array(k) : undefined;
  }

  async remove(alias: string): Promise<boolean> {
    return this.keys.delete(alias);
  }

  async list(): Promise<string[]> {
    return [...this.keys.keys()].sort();
  }
}
