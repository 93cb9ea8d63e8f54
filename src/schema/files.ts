/** `handover schema`: the published JSON Schemas, read from schemas/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemasDir } from '../paths.js';

export const DOCUMENT_KINDS = ['handover', 'receipt', 'withdrawal'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export function readSchema(kind: DocumentKind): Record<string, unknown> {
  return JSON.parse(readFileSync(join(schemasDir(), `${kind}.schema.json`), 'utf8')) as Record<
    string,
    unknown
  >;
}
