/**
 * The domain rules of SPEC §5.3 beyond the schema. They run on every well-formed part even
 * when the schema fails elsewhere: a part of the wrong shape is skipped, never thrown on,
 * and a malformed date silences the rules that need it (the schema reports it).
 */
import { loadCatalogue } from '../catalogue.js';
import { consentIncompleteRule, consentScopeRule } from './consent.js';
import { controlCharacterRule } from './control.js';
import { dateOrderRules } from './date-order.js';
import { entitlementRules } from './entitlement.js';
import { identityRules } from './identity.js';
import { backupContactRule, nonDisclosureRule, partyRules, youthMunicipalityRule } from './parties.js';
import { duplicateIdRule, serviceRules } from './services.js';
import { isObj, type RuleContext, type RuleFinding } from './types.js';

export { finding, RULES, type RuleCode } from './registry.js';
export type { RuleContext, RuleFinding, Severity } from './types.js';

/** Findings for a handover document (one without `kind`). */
export function runRules(doc: unknown, ctx: RuleContext = {}): RuleFinding[] {
  if (!isObj(doc)) return [];
  const catalogue = ctx.catalogue ?? loadCatalogue();
  return [
    ...identityRules(doc),
    ...partyRules(doc, 'sender'),
    ...partyRules(doc, 'recipient'),
    ...youthMunicipalityRule(doc),
    ...nonDisclosureRule(doc),
    ...consentIncompleteRule(doc),
    ...consentScopeRule(doc, catalogue),
    ...entitlementRules(doc),
    ...dateOrderRules(doc),
    ...serviceRules(doc, catalogue),
    ...duplicateIdRule(doc),
    ...backupContactRule(doc),
    ...controlCharacterRule(doc, 'handover', ctx.sourceText, ctx.mayHoldControl),
  ];
}

/** Findings for a receipt: the receiving organisation's identifiers. */
export function runReceiptRules(doc: unknown, ctx: RuleContext = {}): RuleFinding[] {
  return isObj(doc)
    ? [
        ...partyRules(doc, 'receiver'),
        ...controlCharacterRule(doc, 'receipt', ctx.sourceText, ctx.mayHoldControl),
      ]
    : [];
}

/** Findings for a withdrawal notice: the sending organisation's identifiers. */
export function runWithdrawalRules(doc: unknown, ctx: RuleContext = {}): RuleFinding[] {
  return isObj(doc)
    ? [
        ...partyRules(doc, 'sender'),
        ...controlCharacterRule(doc, 'withdrawal', ctx.sourceText, ctx.mayHoldControl),
      ]
    : [];
}
