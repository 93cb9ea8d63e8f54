/**
 * Every rule has a pair of fixtures in test/fixtures/rules: the invalid one triggers exactly
 * that rule at the expected pointer, the valid one is the same case fixed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES, runRules } from '../../../src/domain/rules/index.js';
import { validateSchema } from '../../../src/schema/validator.js';
import { ROOT } from '../../helpers/cli.js';

const EXPECTED: Record<string, string> = {
  HETU_INVALID: '/youth/personalIdentityCode',
  HETU_BIRTHDATE_MISMATCH: '/youth/birthDate',
  BUSINESS_ID_INVALID: '/recipient/organization/businessId',
  MUNICIPALITY_UNKNOWN: '/youth/newMunicipalityCode',
  SERVICE_CODE_UNKNOWN: '/services/0/code',
  DATE_ORDER: '/services/0/period/to',
  ENTITLEMENT_AGE_LIMIT: '/entitlement/endsOn',
  ENTITLEMENT_BASIS_MISMATCH: '/entitlement/basis',
  PLACEMENT_AFTER_18: '/entitlement/placementEndedOn',
  ENTITLEMENT_EXPIRED: '/entitlement/endsOn',
  ENTITLEMENT_OPEN_CARE_SHORT: '/entitlement/placementEndedOn',
  SERVICE_AFTER_ENTITLEMENT: '/services/0/period/to',
  ENTITLEMENT_PAYER: '/entitlement/payer',
  CONSENT_INCOMPLETE: '/consent',
  CONSENT_SCOPE: '/youth/contact',
  SERVICE_PAYER: '/services/3/payer',
  SERVICE_PLAN_BASIS: '/services/2',
  BACKUP_CONTACT_MISSING: '/sender',
  SERVICE_GOAL_UNKNOWN: '/services/0/clientPlanGoal',
  SERVICE_PRICE_MISSING: '/services/1',
  DUPLICATE_ID: '/services/1/id',
  CONTROL_CHARACTER: '/sender/organization/name',
};

/** Further cases of a code, one pair each: `<CODE>__<case>.{invalid,valid}.json`. */
const VARIANTS: Record<string, string> = {
  DATE_ORDER__lastClient: '/entitlement/lastClientOn',
};

/**
 * Cases that need members of format 1.1 (replyBy, paymentCommitment, decisions, the
 * classification youth-funds). The 1.0 schema rejects them, so until the 1.1 schema is
 * merged these run the rules only; after that merge, add the validateSchema check of the
 * 1.0 pairs here too.
 */
const VARIANTS_11: Record<string, string> = {
  DATE_ORDER__replyBy: '/replyBy',
  DATE_ORDER__commitment: '/paymentCommitment/to',
  SERVICE_AFTER_ENTITLEMENT__commitment: '/paymentCommitment/to',
  'SERVICE_PAYER__youth-funds': '/services/2/provider',
  CONSENT_SCOPE__decisions: '/decisions',
  CONSENT_SCOPE__paymentCommitment: '/paymentCommitment',
};

/** Cases of format 1.2 (turvakielto without the new municipality, extension, homeMunicipalityAtEnd). */
const VARIANTS_12: Record<string, string> = {
  NON_DISCLOSURE_CONTACT: '/youth/contact',
  YOUTH_FUNDS_DUE: '/services/2/period',
  ENTITLEMENT_EXTENSION: '/entitlement/extension/decidedOn',
  ENTITLEMENT_EXTENSION__noDate: '/entitlement/extension',
  ENTITLEMENT_EXTENSION__ownPolicy: '/services/0/payer',
  ENTITLEMENT_EXTENSION__young: '/entitlement/extension',
  DATE_ORDER__extension: '/entitlement/extension/decidedOn',
  ENTITLEMENT_PAYER__openCare: '/entitlement/payer',
  ENTITLEMENT_PAYER__discretionary: '/entitlement/payer',
  MUNICIPALITY_UNKNOWN__homeAtEnd: '/entitlement/homeMunicipalityAtEnd',
};

const load = (name: string, dir = 'rules'): unknown =>
  JSON.parse(readFileSync(join(ROOT, 'test', 'fixtures', dir, name), 'utf8'));
const codeOf = (name: string) => name.split('__')[0] as keyof typeof RULES;

describe('rule fixtures', () => {
  it('cover every rule that runRules emits', () => {
    const emittedElsewhere = [
      'JSON_PARSE',
      'FILE_TOO_LARGE',
      'SCHEMA',
      'FILE_UNREADABLE',
      'DOCUMENT_UNKNOWN',
      'SCHEMA_VERSION_UNSUPPORTED',
      'SIGNATURE_MISSING',
      'SIGNATURE_INVALID',
      'SIGNATURE_UNTRUSTED',
      'NOT_ADDRESSED_TO_US',
      'ID_CONFLICT',
      'SIGNER_NOT_SENDER',
      'SIGNATURE_REVOKED',
      'REVOCATION_UNKNOWN',
      'RECEIPT_STALE',
    ];
    const only12 = Object.keys(VARIANTS_12).filter((n) => !n.includes('__'));
    expect([...Object.keys(EXPECTED), ...only12].sort()).toEqual(
      Object.keys(RULES)
        .filter((c) => !emittedElsewhere.includes(c))
        .sort(),
    );
  });

  describe.each(Object.entries(EXPECTED))('%s', (code, pointer) => {
    it('invalid: the rule fires at its pointer, and nothing else does', () => {
      const doc = load(`${code}.invalid.json`);
      expect(validateSchema('handover', doc)).toEqual([]);
      const findings = runRules(doc);
      expect(findings).toContainEqual(
        expect.objectContaining({
          rule: code,
          pointer,
          severity: RULES[code as keyof typeof RULES].severity,
        }),
      );
      expect(findings.map((f) => f.rule)).toEqual(findings.map(() => code));
    });

    it('valid: the same case fixed has no finding at all', () => {
      const doc = load(`${code}.valid.json`);
      expect(validateSchema('handover', doc)).toEqual([]);
      expect(runRules(doc)).toEqual([]);
    });
  });
});

describe.each(Object.entries(VARIANTS))('rule fixture %s', (name, pointer) => {
  const code = codeOf(name);
  it('invalid: the rule fires at its pointer, and nothing else does', () => {
    const doc = load(`${name}.invalid.json`);
    expect(validateSchema('handover', doc)).toEqual([]);
    const findings = runRules(doc);
    expect(findings).toEqual([
      expect.objectContaining({ rule: code, pointer, severity: RULES[code].severity }),
    ]);
  });

  it('valid: the same case fixed has no finding at all', () => {
    const doc = load(`${name}.valid.json`);
    expect(validateSchema('handover', doc)).toEqual([]);
    expect(runRules(doc)).toEqual([]);
  });
});

describe.each(Object.entries(VARIANTS_11))('rule fixture (format 1.1, rules only) %s', (name, pointer) => {
  const code = codeOf(name);
  const file = name;
  it('invalid: the rule fires at its pointer, and nothing else does', () => {
    const doc = load(`${file}.invalid.json`, 'rules-1.1') as { schemaVersion: string };
    expect(doc.schemaVersion).toBe('1.1');
    // Well-formed format 1.1: the finding is the rule's, not the schema's.
    expect(validateSchema('handover', doc)).toEqual([]);
    expect(runRules(doc)).toEqual([
      expect.objectContaining({ rule: code, pointer, severity: RULES[code].severity }),
    ]);
  });

  it('valid: the same case fixed has no finding at all', () => {
    const doc = load(`${file}.valid.json`, 'rules-1.1') as { schemaVersion: string };
    expect(doc.schemaVersion).toBe('1.1');
    expect(validateSchema('handover', doc)).toEqual([]);
    expect(runRules(doc)).toEqual([]);
  });
});

describe.each(Object.entries(VARIANTS_12))('rule fixture (format 1.2) %s', (name, pointer) => {
  const code = codeOf(name);
  it('invalid: the rule fires at its pointer, and nothing else does', () => {
    const doc = load(`${name}.invalid.json`, 'rules-1.2') as { schemaVersion: string };
    expect(doc.schemaVersion).toBe('1.2');
    expect(validateSchema('handover', doc)).toEqual([]);
    expect(runRules(doc)).toEqual([
      expect.objectContaining({ rule: code, pointer, severity: RULES[code].severity }),
    ]);
  });

  it('valid: the same case fixed has no finding at all', () => {
    const doc = load(`${name}.valid.json`, 'rules-1.2') as { schemaVersion: string };
    expect(doc.schemaVersion).toBe('1.2');
    expect(validateSchema('handover', doc)).toEqual([]);
    expect(runRules(doc)).toEqual([]);
  });
});

describe('examples', () => {
  it.each(['aftercare.handover.json', 'integration-support.handover.json'])(
    '%s passes the schema and every rule',
    (name) => {
      const doc = JSON.parse(readFileSync(join(ROOT, 'templates', 'examples', name), 'utf8'));
      expect(validateSchema('handover', doc)).toEqual([]);
      expect(runRules(doc)).toEqual([]);
    },
  );

  it('minimal.draft.json is partial: the schema names what is missing, the rules find no bad value', () => {
    const doc = JSON.parse(readFileSync(join(ROOT, 'templates', 'examples', 'minimal.draft.json'), 'utf8'));
    const missing = validateSchema('handover', doc).map((i) => i.keyword);
    expect(missing).toContain('required');
    expect(runRules(doc)).toEqual([]);
  });
});
