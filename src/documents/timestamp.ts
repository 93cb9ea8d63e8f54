/** Whether a document we sign gets an RFC 3161 timestamp (SPEC §7). */
import { loadConfig } from '../config/store.js';

/**
 * The TSA to stamp a document with: timestamp.url when configured, for a document whose format
 * has the member (1.1; the frozen 1.0 schema has only `jws`).
 */
export function timestampFor(doc: object, enabled = true): { url: string } | undefined {
  const url = enabled ? loadConfig().timestamp?.url : undefined;
  return url && (doc as { schemaVersion?: unknown }).schemaVersion !== '1.0' ? { url } : undefined;
}
