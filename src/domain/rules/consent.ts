/**
 * CONSENT_INCOMPLETE and CONSENT_SCOPE: data minimisation. Nothing may ride along outside
 * the scope the youth consented to (or the statutory basis covers).
 */
import { CATEGORIES, type Catalogue, serviceCategories } from '../catalogue.js';
import { ageOn, helsinkiDate, isDate } from '../dates.js';
import { finding } from './registry.js';
import { arr, has, isObj, type Json, obj, type RuleFinding } from './types.js';

const isCategory = (c: unknown): c is string => (CATEGORIES as readonly unknown[]).includes(c);

const ADULT_AGE = 18;

export function consentIncompleteRule(doc: Json): RuleFinding[] {
  const consent = obj(doc, 'consent');
  if (!consent) return [];
  const missing = (field: string) => finding('CONSENT_INCOMPLETE', '/consent', { reason: field });
  const out: RuleFinding[] = [];
  if (consent.basis === 'consent') {
    if (!has(consent, 'givenOn')) out.push(missing('givenOn'));
    if (!has(consent, 'method')) out.push(missing('method'));
    const birthDate = obj(doc, 'youth')?.birthDate;
    const created = helsinkiDate(doc.createdAt);
    if (
      !has(consent, 'givenBy') &&
      isDate(birthDate) &&
      created !== undefined &&
      ageOn(birthDate, created) < ADULT_AGE
    )
      out.push(missing('givenBy'));
  } else if (consent.basis === 'statutory' && !has(consent, 'statutoryReference')) {
    out.push(missing('statutoryReference'));
  }
  return out;
}

export function consentScopeRule(doc: Json, catalogue: Catalogue): RuleFinding[] {
  const scopeList = arr(obj(doc, 'consent'), 'scope');
  if (!scopeList) return [];
  const scope = new Set(scopeList.filter((c): c is string => typeof c === 'string'));
  const out: RuleFinding[] = [];
  const need = (category: string, pointer: string) => {
    if (!scope.has(category)) out.push(finding('CONSENT_SCOPE', pointer, { category }));
  };
  // The youth's name and birth date are always there: identity is always in scope.
  need('identity', '/consent/scope');
  const youth = obj(doc, 'youth');
  if (youth && has(youth, 'personalIdentityCode')) need('identity', '/youth/personalIdentityCode');
  if (youth && has(youth, 'contact')) need('contact', '/youth/contact');
  if (has(doc, 'entitlement')) need('entitlement', '/entitlement');
  if (has(doc, 'clientPlan')) need('clientPlan', '/clientPlan');
  // Decisions in force are about the right; a payment commitment is about the services paid.
  if (has(doc, 'decisions')) need('entitlement', '/decisions');
  if (has(doc, 'paymentCommitment')) need('services', '/paymentCommitment');

  arr(obj(doc, 'clientPlan'), 'goals')?.forEach((g, i) => {
    const tags = arr(g, 'categories');
    if (!tags) return;
    for (const c of new Set(tags)) if (isCategory(c)) need(c, `/clientPlan/goals/${i}/categories`);
  });

  const services = arr(doc, 'services');
  if (services && services.length > 0) need('services', '/services');
  services?.forEach((s, i) => {
    if (!isObj(s)) return;
    const own = new Set((arr(s, 'categories') ?? []).filter(isCategory));
    for (const c of serviceCategories(s, catalogue))
      need(c, own.has(c) ? `/services/${i}/categories` : `/services/${i}/code`);
  });
  return out;
}
