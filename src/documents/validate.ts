/**
 * Validation of one document: read limits, strict JSON, the schema of its kind, then the
 * domain rules on every well-formed part. Used by `validate` (in worker threads), `import`
 * and `new`; no oclif, no output.
 */
import { type Catalogue, loadCatalogue, type ServiceOverrides } from '../domain/catalogue.js';
import {
  type RuleFinding,
  runReceiptRules,
  runRules,
  runWithdrawalRules,
  type Severity,
} from '../domain/rules/index.js';
import { ruleMessage } from '../i18n/findings.js';
import { type Lang, t } from '../i18n/index.js';
import { locate, type ParseProblem, parseJson } from '../io/json-source.js';
import { readForBatch } from '../io/read-document.js';
import {
  type Classification,
  classify,
  type DocumentKind,
  NEWEST_VERSION,
  SCHEMA_VERSIONS,
  type SchemaIssue,
  validateSchema,
} from '../schema/validator.js';

export const DEFAULT_MAX_BYTES = 5 * 1024 * 1024;

/** A finding as `validate --json` prints it: exactly these six keys (SPEC §5.5). */
export interface Finding {
  rule: string;
  severity: Severity;
  pointer: string;
  line: number | null;
  column: number | null;
  message: string;
}

export interface DocumentResult {
  kind: DocumentKind | 'unknown';
  valid: boolean;
  findings: Finding[];
  /** The parsed document, when it parsed. */
  doc?: unknown;
}

export interface ValidateOptions {
  lang: Lang;
  /** Warnings make the document invalid too. */
  strict?: boolean;
  maxBytes?: number;
  /** The organisation's additions to the service catalogue (config `services`). */
  services?: ServiceOverrides;
}

let catalogueCache: { key: string; catalogue: Catalogue } | undefined;
function catalogueFor(services: ServiceOverrides | undefined): Catalogue {
  const key = services ? JSON.stringify(services) : '';
  if (catalogueCache?.key !== key) catalogueCache = { key, catalogue: loadCatalogue(services) };
  return catalogueCache.catalogue;
}

const parseFinding = (p: ParseProblem, lang: Lang): Finding => ({
  rule: 'JSON_PARSE',
  severity: 'error',
  pointer: p.pointer,
  line: p.line,
  column: p.column,
  message: t(`validate.JSON_PARSE__${p.reason}`, lang, p.params),
});

/** ajv names JSON types and formats in English: they are read in the worker's language. */
function words(issue: SchemaIssue, lang: Lang): Record<string, string> {
  const word = (ns: 'TYPE' | 'FORMAT', v: string): string => {
    const key = `validate.${ns}__${v}`;
    const w = t(key, lang);
    return w === key ? v : w;
  };
  const out: Record<string, string> = {};
  if (typeof issue.params.type === 'string')
    out.type = issue.params.type
      .split(',')
      .map((x) => word('TYPE', x))
      .join(t('validate.TYPE__or', lang));
  if (typeof issue.params.format === 'string') out.format = word('FORMAT', issue.params.format);
  return out;
}

function schemaMessage(issue: SchemaIssue, lang: Lang): string {
  const key =
    issue.keyword === 'pattern' && issue.params.shape === 'trimmed'
      ? 'validate.SCHEMA__trimmed'
      : issue.keyword === 'anyOf' && issue.params.alternatives
        ? 'validate.SCHEMA__oneOfMembers'
        : `validate.SCHEMA__${issue.keyword}`;
  const vars = { ...issue.params, keyword: issue.keyword, ...words(issue, lang) };
  let text = t(key, lang, vars);
  if (text === key) text = t('validate.SCHEMA__other', lang, vars);
  return text;
}

function rulesFor(
  kind: DocumentKind,
  doc: unknown,
  services: ServiceOverrides | undefined,
  mayHoldControl: boolean,
): RuleFinding[] {
  switch (kind) {
    case 'receipt':
      return runReceiptRules(doc, { mayHoldControl });
    case 'withdrawal':
      return runWithdrawalRules(doc, { mayHoldControl });
    default:
      return runRules(doc, { catalogue: catalogueFor(services), mayHoldControl });
  }
}

/** A finding of a rule as `validate` reports it: its message rendered, no position. */
export const reportedFinding = (f: RuleFinding, lang: Lang): Finding => ({
  rule: f.rule,
  severity: f.severity,
  pointer: f.pointer,
  line: null,
  column: null,
  message: ruleMessage(f, lang),
});

const isValid = (findings: Finding[], strict: boolean): boolean =>
  !findings.some((f) => f.severity === 'error' || (strict && f.severity === 'warning'));

/** Validates a document from its bytes (or text already decoded). */
export function validateDocument(input: Uint8Array | string, opts: ValidateOptions): DocumentResult {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  if (bytes.length > maxBytes) return tooLarge(bytes.length, maxBytes, opts.lang);
  const parsed = parseJson(bytes);
  if (!parsed.ok)
    return { kind: 'unknown', valid: false, findings: [parseFinding(parsed.problem, opts.lang)] };
  const doc = parsed.value;
  const c = classify(doc);
  // None of ours, or a version we do not read: one finding, not a flood of SCHEMA.
  if (c.kind === 'unknown' || c.version === undefined) return unreadable(c, doc, parsed.text, opts.lang);
  const kind = c.kind;
  const issues = validateSchema(kind, doc, c.version);
  const schemaPointers = new Set(issues.map((i) => i.pointer));
  // One code per bad value: a rule stays silent where the schema already failed.
  const ruleFindings = rulesFor(kind, doc, opts.services, parsed.mayHoldControl).filter(
    (f) => !schemaPointers.has(f.pointer),
  );
  if (issues.length === 0 && ruleFindings.length === 0) return { kind, valid: true, findings: [], doc };
  const positions = locate(parsed.text, [
    ...issues.map((i) => i.pointer),
    ...ruleFindings.map((f) => f.pointer),
  ]);
  const at = (pointer: string) => positions.get(pointer) ?? { line: null, column: null };
  const findings: Finding[] = [
    ...issues.map((i) => ({
      rule: 'SCHEMA',
      severity: 'error' as const,
      pointer: i.pointer,
      ...at(i.pointer),
      message: schemaMessage(i, opts.lang),
    })),
    ...ruleFindings.map((f) => ({
      rule: f.rule,
      severity: f.severity,
      pointer: f.pointer,
      ...at(f.pointer),
      message: ruleMessage(f, opts.lang),
    })),
  ];
  // In the order of the file, as a worker fixes them from the top; a finding without a place
  // (a whole-document rule) last. The sort is stable: equal places keep schema before rules.
  findings.sort((a, b) => (a.line ?? Infinity) - (b.line ?? Infinity) || (a.column ?? 0) - (b.column ?? 0));
  return { kind, valid: isValid(findings, opts.strict ?? false), findings, doc };
}

/** FILE_TOO_LARGE; without a size when reading stopped at the limit (a stream has no size to tell). */
export function tooLarge(size: number | undefined, maxBytes: number, lang: Lang): DocumentResult {
  return {
    kind: 'unknown',
    valid: false,
    findings: [
      {
        rule: 'FILE_TOO_LARGE',
        severity: 'error',
        pointer: '',
        line: null,
        column: null,
        message:
          size === undefined
            ? t('validate.FILE_TOO_LARGE__stdin', lang, { max: maxBytes })
            : t('validate.FILE_TOO_LARGE', lang, { size, max: maxBytes }),
      },
    ],
  };
}

/** DOCUMENT_UNKNOWN or SCHEMA_VERSION_UNSUPPORTED (SPEC §5.3, §5.6), the only finding. */
function unreadable(
  c: Exclude<Classification, { version: string }>,
  doc: unknown,
  text: string,
  lang: Lang,
): DocumentResult {
  const [rule, pointer, message] =
    c.kind === 'unknown'
      ? ([
          'DOCUMENT_UNKNOWN',
          c.reason === 'kind' ? '/kind' : '',
          `validate.DOCUMENT_UNKNOWN__${c.reason}`,
        ] as const)
      : ([
          'SCHEMA_VERSION_UNSUPPORTED',
          '/schemaVersion',
          `validate.SCHEMA_VERSION_UNSUPPORTED__${c.unsupported.reason}`,
        ] as const);
  const vars = {
    kind: c.kind === 'unknown' ? (c.value ?? '') : c.kind,
    version: c.kind === 'unknown' ? '' : c.unsupported.version,
    supported: SCHEMA_VERSIONS.join(', '),
    newest: NEWEST_VERSION,
  };
  const at = pointer
    ? (locate(text, [pointer]).get(pointer) ?? { line: null, column: null })
    : { line: null, column: null };
  const finding: Finding = { rule, severity: 'error', pointer, ...at, message: t(message, lang, vars) };
  // A document of ours keeps its value (import answers it); anything else is not ours to read.
  return c.kind === 'unknown'
    ? { kind: 'unknown', valid: false, findings: [finding] }
    : { kind: c.kind, valid: false, findings: [finding], doc };
}

export interface FileResult {
  file: string;
  kind: DocumentKind | 'unknown';
  valid: boolean;
  findings: Finding[];
}

/** Validates one file; a file that cannot be read is a FILE_UNREADABLE finding, not an error. */
export function validateFile(file: string, opts: ValidateOptions): FileResult {
  return readAndValidate(file, opts).result;
}

/**
 * The same, keeping the parsed document for checks that follow (signatures). For a batch:
 * the file's bytes live in a buffer that the next call reuses.
 */
export function readAndValidate(file: string, opts: ValidateOptions): { result: FileResult; doc?: unknown } {
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const read = readForBatch(file, maxBytes);
  if ('tooLarge' in read) return { result: { file, ...tooLarge(read.tooLarge, maxBytes, opts.lang) } };
  if ('unreadable' in read)
    return {
      result: {
        file,
        kind: 'unknown',
        valid: false,
        findings: [
          {
            rule: 'FILE_UNREADABLE',
            severity: 'error',
            pointer: '',
            line: null,
            column: null,
            message: t('validate.FILE_UNREADABLE', opts.lang, { reason: read.unreadable }),
          },
        ],
      },
    };
  const r = validateDocument(read.bytes, opts);
  return { result: { file, kind: r.kind, valid: r.valid, findings: r.findings }, doc: r.doc };
}
