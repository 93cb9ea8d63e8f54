/** Whether a document we sign gets an RFC 3161 timestamp (SPEC §7). */

/**
 * The TSA to stamp a document with: the configured timestamp.url (undefined: none), for a
 * document whose format has the member (1.1; the frozen 1.0 schema has only `jws`).
 */
export function timestampFor(doc: object, url: string | undefined): { url: string } | undefined {
  return url && (doc as { schemaVersion?: unknown }).schemaVersion !== '1.0' ? { url } : undefined;
}
