/**
 * The dotted keys of `handover config`: the Party shape of the handover schema plus
 * `defaults.*`. Every value is checked with the same rule the handover file gets, so that a
 * profile saved here never makes a handover invalid later.
 */
import { resolve } from 'node:path';
import { checkValue, type ValueKind } from '../domain/values.js';
import type { Config } from './store.js';

export interface KeySpec {
  key: string;
  kind: ValueKind;
}

const PERSON_FIELDS: [string, ValueKind][] = [
  ['name', 'line'],
  ['title', 'line'],
  ['email', 'email'],
  ['phone', 'phone'],
];

export const CONFIG_KEYS: readonly KeySpec[] = [
  { key: 'organization.name', kind: 'line' },
  { key: 'organization.businessId', kind: 'businessId' },
  /** The own organisation's name in each language (letters in that language print it). */
  { key: 'organizationName.fi', kind: 'line' },
  { key: 'organizationName.sv', kind: 'line' },
  { key: 'organization.oid', kind: 'oid' },
  { key: 'organization.municipalityCode', kind: 'municipality' },
  { key: 'organization.unit', kind: 'line' },
  { key: 'organization.address.street', kind: 'line' },
  { key: 'organization.address.postalCode', kind: 'postalCode' },
  { key: 'organization.address.city', kind: 'line' },
  { key: 'organization.address.country', kind: 'country' },
  { key: 'organization.email', kind: 'email' },
  { key: 'organization.phone', kind: 'phone' },
  ...PERSON_FIELDS.map(([f, kind]) => ({ key: `contact.${f}`, kind })),
  ...PERSON_FIELDS.map(([f, kind]) => ({ key: `backupContact.${f}`, kind })),
  { key: 'billing.eInvoiceAddress', kind: 'line' },
  { key: 'billing.operator', kind: 'line' },
  { key: 'billing.reference', kind: 'line' },
  { key: 'billing.email', kind: 'email' },
  { key: 'signatory.name', kind: 'line' },
  { key: 'signatory.title', kind: 'line' },
  { key: 'ombudsman.name', kind: 'line' },
  { key: 'ombudsman.phone', kind: 'phone' },
  { key: 'ombudsman.email', kind: 'email' },
  { key: 'defaults.language', kind: 'lang' },
  { key: 'defaults.letterLanguage', kind: 'lang' },
  { key: 'defaults.outputFolder', kind: 'path' },
  { key: 'defaults.keyAlias', kind: 'alias' },
  { key: 'defaults.keyStore', kind: 'keyStore' },
  { key: 'defaults.replyDays', kind: 'positive' },
  /** An RFC 3161 timestamp authority (SPEC §7): sign, new and import's receipts ask it. */
  { key: 'timestamp.url', kind: 'url' },
  /** The office's shared PostgreSQL database (SPEC §11); HANDOVER_DATABASE_URL wins over it. */
  { key: 'register.url', kind: 'databaseUrl' },
  /** Where `trust refresh` fetches the partner directory (SPEC §13). */
  { key: 'directory.url', kind: 'url' },
];

export const keySpec = (key: string): KeySpec | undefined => CONFIG_KEYS.find((k) => k.key === key);

type Tree = Record<string, unknown>;
const isTree = (v: unknown): v is Tree => typeof v === 'object' && v !== null && !Array.isArray(v);

export function getKey(config: Config, key: string): string | undefined {
  let node: unknown = config;
  for (const part of key.split('.')) {
    if (!isTree(node)) return undefined;
    node = node[part];
  }
  return typeof node === 'string' ? node : undefined;
}

/** A copy of `config` with `key` set to `value` (already checked), creating parents as needed. */
export function setKey(config: Config, key: string, value: string): Config {
  const copy = structuredClone(config) as Tree;
  const parts = key.split('.');
  const last = parts.pop()!;
  let node = copy;
  for (const part of parts) {
    const next = node[part];
    if (!isTree(next)) node[part] = {};
    node = node[part] as Tree;
  }
  node[last] = value;
  return copy as Config;
}

/** A copy of `config` without `key`; parents left empty are removed too. */
export function unsetKey(config: Config, key: string): Config {
  const copy = structuredClone(config) as Tree;
  const parts = key.split('.');
  const chain: Tree[] = [copy];
  for (const part of parts.slice(0, -1)) {
    const next = chain[chain.length - 1]![part];
    if (!isTree(next)) return copy as Config;
    chain.push(next);
  }
  delete chain[chain.length - 1]![parts[parts.length - 1]!];
  for (let i = chain.length - 1; i > 0; i--) {
    if (Object.keys(chain[i]!).length === 0) delete chain[i - 1]![parts[i - 1]!];
  }
  return copy as Config;
}

/** Every known key that has a value, in the order of CONFIG_KEYS. */
export function listKeys(config: Config): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key } of CONFIG_KEYS) {
    const v = getKey(config, key);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

export interface ValueProblem {
  key: string;
  rule: string;
  /** i18n key of the reason, with its vars. */
  reason: string;
  vars?: Record<string, string | number>;
}

/** Checks and normalises one value: trimmed; an output folder made absolute. */
export function normaliseValue(spec: KeySpec, raw: string): { value: string } | { problem: ValueProblem } {
  const value = spec.kind === 'path' ? resolve(raw.trim()) : raw.trim();
  const problem = checkValue(spec.kind, value);
  return problem ? { problem: { key: spec.key, ...problem } } : { value };
}

/** Flattens a Party object to dotted keys; anything that is not a known key is reported. */
export function flattenParty(party: unknown): { values: Record<string, string>; unknown: string[] } {
  const values: Record<string, string> = {};
  const unknown: string[] = [];
  const walk = (node: unknown, prefix: string): void => {
    if (isTree(node)) {
      for (const [k, v] of Object.entries(node)) walk(v, prefix ? `${prefix}.${k}` : k);
      return;
    }
    if (typeof node === 'string' && keySpec(prefix) && !prefix.startsWith('defaults.')) values[prefix] = node;
    else unknown.push(prefix || '/');
  };
  walk(party, '');
  return { values, unknown };
}
