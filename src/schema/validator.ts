/**
 * The one ajv wrapper: compiles the published schemas of every format version once per
 * process (draft 2020-12, all errors, full date formats) and turns ajv's errors into plain
 * {pointer, keyword, params} issues, with one best error for each anyOf/oneOf instead of a
 * flood. A document is checked against the schema of its own `schemaVersion` (SPEC §5.6).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { schemasDir } from '../core/paths.js';
import type { SchemaVersion } from './types.js';

export type DocumentKind = 'handover' | 'receipt' | 'withdrawal';
const KINDS = ['handover', 'receipt', 'withdrawal'] as const;

/**
 * The format versions this build reads, oldest first; the last is the one writers write. Each
 * has its frozen schemas/<kind>-<version>.schema.json (a test holds this list to the files).
 */
export const SCHEMA_VERSIONS = ['1.0', '1.1', '1.2'] as const satisfies readonly SchemaVersion[];
export const NEWEST_VERSION: SchemaVersion = '1.2';

export const isSupportedVersion = (v: unknown): v is SchemaVersion =>
  (SCHEMA_VERSIONS as readonly unknown[]).includes(v);

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** The version a document says it is, when this build reads it. */
export const versionOf = (value: unknown): SchemaVersion | undefined => {
  const v = isObject(value) ? value.schemaVersion : undefined;
  return isSupportedVersion(v) ? v : undefined;
};

export interface SchemaIssue {
  /** JSON pointer of the failing value; for a missing member, the member's own pointer. */
  pointer: string;
  /** The schema keyword that failed (required, type, enum, format, pattern, additionalProperties, …). */
  keyword: string;
  params: Record<string, string | number>;
}

const require = createRequire(import.meta.url);

/**
 * Options of the one ajv instance (the build precompiles with the same). String lengths are
 * counted in UTF-16 units (`unicode: false`): they are bounds against abuse, and counting code
 * points costs a pass over every string.
 */
export const AJV_OPTIONS = {
  allErrors: true,
  strict: true,
  strictRequired: false,
  allowUnionTypes: true,
  unicode: false,
  // Strict mode throws on a schema problem; what remains to log is the deprecation note of
  // `unicode`, which is still honoured (the generated code counts UTF-16 units).
  logger: false,
} as const;
export const FORMATS = ['date', 'date-time', 'email', 'uuid'] as const;
/** `<kind>-<version>`: the name of a frozen schema file, and of its precompiled validator. */
export const schemaName = (kind: DocumentKind, version: SchemaVersion): string => `${kind}-${version}`;
export const SCHEMA_NAMES = KINDS.flatMap((k) => SCHEMA_VERSIONS.map((v) => schemaName(k, v)));

let compiled: Pick<Map<string, ValidateFunction>, 'get'> | undefined;

function compileAll(): Pick<Map<string, ValidateFunction>, 'get'> {
  // The build precompiles the schemas (dist/schema/standalone.cjs, whose members load each
  // validator on first use); from the sources, compile here.
  try {
    const pre = require('./standalone.cjs') as Record<string, ValidateFunction>;
    return { get: (n: string) => pre[n] };
  } catch {
    return compileAtRuntime();
  }
}

function compileAtRuntime(): Map<string, ValidateFunction> {
  // ajv is CommonJS; require() keeps start-up of commands that never validate free of it.
  const Ajv2020 = require('ajv/dist/2020.js').default as typeof import('ajv/dist/2020.js').default;
  const addFormats = require('ajv-formats').default as typeof import('ajv-formats').default;
  const ajv = new Ajv2020(AJV_OPTIONS);
  addFormats(ajv, { mode: 'full', formats: [...FORMATS] });
  // The same formats as the precompiled validators: ajv-formats' full mode with a fast path.
  const fast = require('./formats.cjs') as Record<string, Parameters<typeof ajv.addFormat>[1]>;
  for (const name of FORMATS) ajv.addFormat(name, fast[name]!);
  const m = new Map<string, ValidateFunction>();
  for (const name of SCHEMA_NAMES) {
    const schema = JSON.parse(readFileSync(join(schemasDir(), `${name}.schema.json`), 'utf8')) as object;
    m.set(name, ajv.compile(schema));
  }
  return m;
}

const escapePointer = (key: string): string => key.replace(/~/g, '~0').replace(/\//g, '~1');
const TRIMMED = '^\\S';

function toIssue(e: ErrorObject): SchemaIssue {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return {
        pointer: `${e.instancePath}/${escapePointer(String(p.missingProperty))}`,
        keyword: 'required',
        params: { property: String(p.missingProperty) },
      };
    case 'additionalProperties':
      return {
        pointer: `${e.instancePath}/${escapePointer(String(p.additionalProperty))}`,
        keyword: 'additionalProperties',
        params: { property: String(p.additionalProperty).slice(0, 80) },
      };
    case 'pattern': {
      const pattern = String(p.pattern);
      return {
        pointer: e.instancePath,
        keyword: 'pattern',
        params: { pattern, shape: pattern.startsWith(TRIMMED) ? 'trimmed' : 'pattern' },
      };
    }
    case 'type':
      return { pointer: e.instancePath, keyword: 'type', params: { type: String(p.type) } };
    case 'enum':
      return {
        pointer: e.instancePath,
        keyword: 'enum',
        params: { values: (p.allowedValues as unknown[]).map(String).join(', ') },
      };
    case 'const':
      return { pointer: e.instancePath, keyword: 'const', params: { value: String(p.allowedValue) } };
    case 'format':
      return { pointer: e.instancePath, keyword: 'format', params: { format: String(p.format) } };
    case 'minLength':
    case 'maxLength':
    case 'minItems':
    case 'maxItems':
      return { pointer: e.instancePath, keyword: e.keyword, params: { limit: Number(p.limit) } };
    case 'minimum':
    case 'maximum':
    case 'exclusiveMinimum':
    case 'exclusiveMaximum':
      return { pointer: e.instancePath, keyword: e.keyword, params: { limit: Number(p.limit) } };
    case 'uniqueItems': {
      // The later of the two equal items is the one to remove.
      const [first, later] = [Number(p.i), Number(p.j)].sort((a, b) => a - b) as [number, number];
      return {
        pointer: `${e.instancePath}/${later}`,
        keyword: 'uniqueItems',
        params: { i: first, j: later },
      };
    }
    default:
      return { pointer: e.instancePath, keyword: e.keyword, params: {} };
  }
}

/**
 * One best error per anyOf/oneOf: the branch error that got deepest into the document, or
 * the anyOf error itself (with its alternatives) when every branch failed at the same place.
 */
function bestErrors(errors: ErrorObject[]): ErrorObject[] {
  const alternatives = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf');
  if (alternatives.length === 0) return errors.filter((e) => e.keyword !== 'if');
  const drop = new Set<ErrorObject>();
  const keep: ErrorObject[] = [];
  for (const alt of alternatives) {
    const prefix = `${alt.schemaPath}/`;
    const branches = errors.filter(
      (e) => e !== alt && e.schemaPath.startsWith(prefix) && e.instancePath.startsWith(alt.instancePath),
    );
    for (const b of branches) drop.add(b);
    drop.add(alt);
    const deepest = branches.reduce<ErrorObject | undefined>(
      (best, e) => (!best || e.instancePath.length > best.instancePath.length ? e : best),
      undefined,
    );
    if (deepest && deepest.instancePath.length > alt.instancePath.length) keep.push(deepest);
    else {
      const missing = branches
        .filter((b) => b.keyword === 'required')
        .map((b) => String((b.params as { missingProperty?: unknown }).missingProperty));
      keep.push({ ...alt, params: { ...alt.params, alternatives: missing.join('|') } });
    }
  }
  return [...errors.filter((e) => !drop.has(e) && e.keyword !== 'if'), ...keep];
}

/**
 * Checks a document against the schema of its kind and version: the version it says it is
 * when this build reads that one, else the newest (whose `schemaVersion` const then fails).
 */
export function validateSchema(
  kind: DocumentKind,
  value: unknown,
  version: SchemaVersion = versionOf(value) ?? NEWEST_VERSION,
): SchemaIssue[] {
  compiled ??= compileAll();
  const fn = compiled.get(schemaName(kind, version))!;
  if (fn(value)) return [];
  const issues = bestErrors(fn.errors ?? []).map((e) => {
    if (e.keyword === 'anyOf' || e.keyword === 'oneOf') {
      return {
        pointer: e.instancePath,
        keyword: e.keyword,
        params: { alternatives: String((e.params as { alternatives?: string }).alternatives ?? '') },
      };
    }
    return toIssue(e);
  });
  // ajv can report the same pointer and keyword twice (e.g. through $ref and its siblings).
  const seen = new Set<string>();
  return issues.filter((i) => {
    const id = `${i.pointer}\u0000${i.keyword}`;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * Which document a parsed value is, by its `kind` member (a handover has none): 'unknown' for
 * anything that is none of ours (DOCUMENT_UNKNOWN): not an object, an object with neither
 * `schemaVersion` nor `kind`, or a `kind` we do not know.
 */
export function documentKind(value: unknown): DocumentKind | 'unknown' {
  if (!isObject(value)) return 'unknown';
  if ('kind' in value)
    return value.kind === 'receipt' || value.kind === 'withdrawal' ? value.kind : 'unknown';
  return 'schemaVersion' in value ? 'handover' : 'unknown';
}

/** How a reader takes a parsed value: which document, and against which version's schema. */
export type Classification =
  | { kind: DocumentKind; version: SchemaVersion }
  /** Ours, but of a version this build does not read (SCHEMA_VERSION_UNSUPPORTED). */
  | {
      kind: DocumentKind;
      version: undefined;
      /** newer: a later major.minor (update handover); type: not a string; other: any other. */
      unsupported: { version: string; reason: 'newer' | 'type' | 'other' };
    }
  /** None of ours (DOCUMENT_UNKNOWN): not an object, neither member, or an unknown `kind`. */
  | { kind: 'unknown'; reason: 'not-object' | 'unmarked' | 'kind'; value?: string };

/** A `major.minor` version later than every one this build reads: update `handover` to read it. */
function isNewer(v: string): boolean {
  const m = /^(0|[1-9][0-9]{0,8})\.(0|[1-9][0-9]{0,8})$/.exec(v);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  const [nMajor, nMinor] = NEWEST_VERSION.split('.').map(Number) as [number, number];
  return major > nMajor || (major === nMajor && minor > nMinor);
}

/** A value from a document, short enough for a message. */
const shown = (v: unknown): string => {
  const s = typeof v === 'string' ? v : String(JSON.stringify(v));
  return s.length > 40 ? `${s.slice(0, 40)}…` : s;
};

/** Why a `schemaVersion` is not one this build reads. */
export const unsupportedReason = (v: unknown): 'newer' | 'type' | 'other' =>
  typeof v !== 'string' ? 'type' : isNewer(v) ? 'newer' : 'other';

export function classify(value: unknown): Classification {
  if (!isObject(value)) return { kind: 'unknown', reason: 'not-object' };
  const kind = documentKind(value);
  if (kind === 'unknown') {
    return 'kind' in value
      ? { kind, reason: 'kind', value: shown(value.kind) }
      : { kind, reason: 'unmarked' };
  }
  // No version at all is a shape error of the newest schema (a missing required member).
  if (!('schemaVersion' in value)) return { kind, version: NEWEST_VERSION };
  const v = value.schemaVersion;
  if (isSupportedVersion(v)) return { kind, version: v };
  return {
    kind,
    version: undefined,
    unsupported: { version: shown(v), reason: unsupportedReason(v) },
  };
}
