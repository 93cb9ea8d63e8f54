/**
 * One check per kind of value the interview and `config set` accept, each returning the rule
 * code a handover file would get for the same value (SCHEMA for a shape, BUSINESS_ID_INVALID,
 * MUNICIPALITY_UNKNOWN, HETU_INVALID for the ruled identifiers), so that a value accepted here
 * never fails `handover validate` later. Domain logic, not wording: a problem carries a reason
 * code and its vars, and whoever asked translates it (as `interview.<reason>`).
 */
import { isValidBusinessId } from './business-id.js';
import { isValidHetu } from './hetu.js';
import { isMunicipalityCode } from './municipalities.js';

export type ValueKind =
  | 'line'
  | 'text'
  | 'email'
  | 'phone'
  | 'businessId'
  | 'municipality'
  | 'oid'
  | 'postalCode'
  | 'country'
  | 'lang'
  | 'isoLang'
  | 'path'
  | 'alias'
  | 'keyStore'
  | 'url'
  | 'databaseUrl'
  | 'date'
  | 'hetu'
  | 'euro'
  | 'positive';

export interface Problem {
  rule: string;
  /** Why, as a code the caller translates (the interview catalogue has one text per code). */
  reason: string;
  vars?: Record<string, string | number>;
}

// The schema's own patterns and formats (scripts/schema-src.mjs, ajv-formats "full" mode).
const LINE = /^\S(?:.*\S)?$/;
const TEXT = /^\S(?:[\s\S]*\S)?$/;
const EMAIL =
  /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i;
const PHONE = /^\+?[0-9][0-9 ()-]{4,30}$/;
const OID = /^[0-2](?:\.(?:0|[1-9][0-9]*))+$/;
const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** A real calendar date in YYYY-MM-DD form. */
export function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const dt = new Date(Date.UTC(y, mo - 1, d));
  return dt.getUTCFullYear() === y && dt.getUTCMonth() === mo - 1 && dt.getUTCDate() === d;
}

const schema = (reason: string, vars?: Record<string, string | number>): Problem => ({
  rule: 'SCHEMA',
  reason,
  ...(vars ? { vars } : {}),
});

/** Undefined when the value is acceptable; else the rule it breaks and why. */
export function checkValue(kind: ValueKind, value: string): Problem | undefined {
  if (value === '') return schema('CHECK_empty');
  switch (kind) {
    case 'line':
      return LINE.test(value) && value.length <= 300 ? undefined : schema('CHECK_line', { max: 300 });
    case 'text':
      return TEXT.test(value) && value.length <= 4000 ? undefined : schema('CHECK_line', { max: 4000 });
    case 'email':
      return EMAIL.test(value) && value.length <= 254 ? undefined : schema('CHECK_email');
    case 'phone':
      return PHONE.test(value) ? undefined : schema('CHECK_phone');
    case 'oid':
      return OID.test(value) && value.length <= 128 ? undefined : schema('CHECK_oid');
    case 'postalCode':
      return /^[0-9]{5}$/.test(value) ? undefined : schema('CHECK_postalCode');
    case 'country':
      return /^[A-Z]{2}$/.test(value) ? undefined : schema('CHECK_country');
    case 'lang':
      return ['fi', 'sv', 'en'].includes(value) ? undefined : schema('CHECK_lang');
    case 'isoLang':
      return /^[a-z]{2}$/.test(value) ? undefined : schema('CHECK_isoLang');
    case 'keyStore':
      return ['keychain', 'file'].includes(value) ? undefined : schema('CHECK_keyStore');
    case 'url':
      return /^https?:\/\/[^\s/]+(\/\S*)?$/i.test(value) ? undefined : schema('CHECK_url');
    case 'databaseUrl':
      return /^postgres(ql)?:\/\/\S+$/i.test(value) ? undefined : schema('CHECK_databaseUrl');
    case 'alias':
      return ALIAS.test(value) ? undefined : schema('CHECK_alias');
    case 'path':
      return undefined;
    case 'date':
      return isIsoDate(value) ? undefined : schema('CHECK_date');
    case 'euro':
      return /^\d+(?:[.,]\d{1,2})?$/.test(value) ? undefined : schema('CHECK_euro');
    case 'positive':
      return /^\d+(?:[.,]\d+)?$/.test(value) && Number(value.replace(',', '.')) > 0
        ? undefined
        : schema('CHECK_positive');
    case 'businessId':
      return isValidBusinessId(value)
        ? undefined
        : { rule: 'BUSINESS_ID_INVALID', reason: 'CHECK_businessId' };
    case 'municipality':
      return isMunicipalityCode(value)
        ? undefined
        : { rule: 'MUNICIPALITY_UNKNOWN', reason: 'CHECK_municipality' };
    case 'hetu':
      return isValidHetu(value) ? undefined : { rule: 'HETU_INVALID', reason: 'CHECK_hetu' };
  }
}

/** A date as typed in Finland (31.3.2026) or in ISO form, as 'YYYY-MM-DD'; undefined when not a date. */
export function parseDateInput(raw: string): string | undefined {
  const s = raw.trim();
  const fi = /^(\d{1,2})\.(\d{1,2})\.(\d{4})$/.exec(s);
  const iso = fi ? `${fi[3]}-${fi[2]!.padStart(2, '0')}-${fi[1]!.padStart(2, '0')}` : s;
  return isIsoDate(iso) ? iso : undefined;
}
