/** Every rule code of SPEC §5.3 with its severity (warnings are the ones SPEC marks so). */
import type { RuleFinding, Severity } from './types.js';

export const RULES = {
  JSON_PARSE: { severity: 'error' },
  FILE_TOO_LARGE: { severity: 'error' },
  SCHEMA: { severity: 'error' },
  FILE_UNREADABLE: { severity: 'error' },
  DOCUMENT_UNKNOWN: { severity: 'error' },
  SCHEMA_VERSION_UNSUPPORTED: { severity: 'error' },
  HETU_INVALID: { severity: 'error' },
  HETU_BIRTHDATE_MISMATCH: { severity: 'error' },
  BUSINESS_ID_INVALID: { severity: 'error' },
  MUNICIPALITY_UNKNOWN: { severity: 'error' },
  SERVICE_CODE_UNKNOWN: { severity: 'error' },
  DATE_ORDER: { severity: 'error' },
  ENTITLEMENT_AGE_LIMIT: { severity: 'error' },
  ENTITLEMENT_BASIS_MISMATCH: { severity: 'error' },
  PLACEMENT_AFTER_18: { severity: 'warning' },
  ENTITLEMENT_EXPIRED: { severity: 'error' },
  ENTITLEMENT_OPEN_CARE_SHORT: { severity: 'warning' },
  SERVICE_AFTER_ENTITLEMENT: { severity: 'warning' },
  ENTITLEMENT_PAYER: { severity: 'warning' },
  CONSENT_INCOMPLETE: { severity: 'error' },
  CONSENT_SCOPE: { severity: 'error' },
  SERVICE_PAYER: { severity: 'error' },
  SERVICE_PLAN_BASIS: { severity: 'warning' },
  BACKUP_CONTACT_MISSING: { severity: 'warning' },
  SERVICE_GOAL_UNKNOWN: { severity: 'error' },
  SERVICE_PRICE_MISSING: { severity: 'error' },
  DUPLICATE_ID: { severity: 'error' },
  SIGNATURE_MISSING: { severity: 'error' },
  SIGNATURE_INVALID: { severity: 'error' },
  SIGNATURE_UNTRUSTED: { severity: 'error' },
  NOT_ADDRESSED_TO_US: { severity: 'error' },
  ID_CONFLICT: { severity: 'error' },
  SIGNER_NOT_SENDER: { severity: 'error' },
  SIGNATURE_REVOKED: { severity: 'error' },
  REVOCATION_UNKNOWN: { severity: 'warning' },
  RECEIPT_STALE: { severity: 'warning' },
  CONTROL_CHARACTER: { severity: 'error' },
  NON_DISCLOSURE_CONTACT: { severity: 'error' },
  YOUTH_FUNDS_DUE: { severity: 'warning' },
  ENTITLEMENT_EXTENSION: { severity: 'error' },
} as const satisfies Record<string, { severity: Severity }>;

export type RuleCode = keyof typeof RULES;

export function finding(
  rule: RuleCode,
  pointer: string,
  params?: Record<string, string | number>,
): RuleFinding {
  const f: RuleFinding = { rule, severity: RULES[rule].severity, pointer };
  if (params) f.params = params;
  return f;
}
