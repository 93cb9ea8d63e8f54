/**
 * `handover schema`: the bundled JSON Schemas, by document kind and format version. Reading
 * them is schema/files.ts; this is the command's door to it.
 */
export { DOCUMENT_KINDS, NEWEST_VERSION, readSchemaText, SCHEMA_VERSIONS } from '../schema/files.js';
