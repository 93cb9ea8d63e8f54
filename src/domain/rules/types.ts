/** What every rule module shares: the finding shape and defensive readers of unknown JSON. */
import type { Catalogue } from '../catalogue.js';

export type Severity = 'error' | 'warning';

export interface RuleFinding {
  rule: string;
  severity: Severity;
  /** RFC 6901 pointer to the offending value (to the parent object when a member is missing). */
  pointer: string;
  params?: Record<string, string | number>;
}

export interface RuleContext {
  /** The catalogue with the organisation's additions (loadCatalogue(config.services)). */
  catalogue?: Catalogue;
  /**
   * The JSON text the document was parsed from, when there is one. JSON cannot carry a raw C0
   * character in a string, so a text without a backslash escape or a C1 character holds no
   * control character anywhere, and CONTROL_CHARACTER needs no walk of the tree.
   */
  sourceText?: string;
  /** The reader's verdict on that text when it has scanned it already (false: no walk, no regex). */
  mayHoldControl?: boolean;
}

export type Json = Record<string, unknown>;

export const isObj = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The member when it is an object, else undefined: a part of the wrong shape is skipped. */
export const obj = (v: unknown, key: string): Json | undefined => {
  if (!isObj(v)) return undefined;
  const m = v[key];
  return isObj(m) ? m : undefined;
};

export const arr = (v: unknown, key: string): unknown[] | undefined => {
  if (!isObj(v)) return undefined;
  const m = v[key];
  return Array.isArray(m) ? m : undefined;
};

export const str = (v: unknown, key: string): string | undefined => {
  if (!isObj(v)) return undefined;
  const m = v[key];
  return typeof m === 'string' ? m : undefined;
};

export const has = (v: Json, key: string): boolean => Object.hasOwn(v, key) && v[key] !== undefined;
