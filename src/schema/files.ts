/** `handover schema`: the published JSON Schemas, read from schemas/. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT, HandoverError } from '../core/errors.js';
import { schemasDir } from '../core/paths.js';
import {
  isSupportedVersion,
  NEWEST_VERSION,
  SCHEMA_VERSIONS,
  schemaName,
  unsupportedReason,
} from './validator.js';

export const DOCUMENT_KINDS = ['handover', 'receipt', 'withdrawal'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];
export { NEWEST_VERSION, SCHEMA_VERSIONS };

/**
 * The frozen schema file of a format version as published, byte for byte (SPEC §5.6). A
 * version this build does not have is SCHEMA_VERSION_UNSUPPORTED, a usage error (exit 2).
 */
export function readSchemaText(kind: DocumentKind, version: string = NEWEST_VERSION): string {
  if (!isSupportedVersion(version)) {
    const newer = unsupportedReason(version) === 'newer';
    throw new HandoverError('SCHEMA_VERSION_UNSUPPORTED', EXIT.usage, {
      key: `errors.SCHEMA_VERSION_UNSUPPORTED${newer ? '__newer' : ''}`,
      vars: { version: version.slice(0, 40), supported: SCHEMA_VERSIONS.join(', ') },
    });
  }
  return readFileSync(join(schemasDir(), `${schemaName(kind, version)}.schema.json`), 'utf8');
}

export function readSchema(kind: DocumentKind, version?: string): Record<string, unknown> {
  return JSON.parse(readSchemaText(kind, version)) as Record<string, unknown>;
}
