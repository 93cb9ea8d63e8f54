/** BUSINESS_ID_INVALID, MUNICIPALITY_UNKNOWN, BACKUP_CONTACT_MISSING: organisations and places. */
import { isValidBusinessId } from '../business-id.js';
import { isMunicipalityCode } from '../municipalities.js';
import { finding } from './registry.js';
import { has, type Json, obj, type RuleFinding } from './types.js';

/** The organisation of a party at `/member`, e.g. partyRules(doc, 'receiver'). */
export function partyRules(doc: Json, member: string): RuleFinding[] {
  const org = obj(obj(doc, member), 'organization');
  if (!org) return [];
  const out: RuleFinding[] = [];
  const base = `/${member}/organization`;
  if (typeof org.businessId === 'string' && !isValidBusinessId(org.businessId))
    out.push(finding('BUSINESS_ID_INVALID', `${base}/businessId`));
  if (typeof org.municipalityCode === 'string' && !isMunicipalityCode(org.municipalityCode))
    out.push(finding('MUNICIPALITY_UNKNOWN', `${base}/municipalityCode`, codeParams(org.municipalityCode)));
  return out;
}

/**
 * A three-digit code is named in the message; anything else may be a misplaced personal value
 * (an identity code typed in the wrong field), so it is never repeated back.
 */
const codeParams = (code: string): Record<string, string> =>
  /^\d{3}$/.test(code) ? { code } : { reason: 'format' };

export function youthMunicipalityRule(doc: Json): RuleFinding[] {
  const out: RuleFinding[] = [];
  const code = obj(doc, 'youth')?.newMunicipalityCode;
  if (typeof code === 'string' && !isMunicipalityCode(code))
    out.push(finding('MUNICIPALITY_UNKNOWN', '/youth/newMunicipalityCode', codeParams(code)));
  const atEnd = obj(doc, 'entitlement')?.homeMunicipalityAtEnd;
  if (typeof atEnd === 'string' && !isMunicipalityCode(atEnd))
    out.push(finding('MUNICIPALITY_UNKNOWN', '/entitlement/homeMunicipalityAtEnd', codeParams(atEnd)));
  return out;
}

/** NON_DISCLOSURE_CONTACT: under turvakielto the file, which travels inside the letter, carries no contact detail. */
export function nonDisclosureRule(doc: Json): RuleFinding[] {
  const youth = obj(doc, 'youth');
  return youth?.nonDisclosure === true && youth.contact !== undefined
    ? [finding('NON_DISCLOSURE_CONTACT', '/youth/contact')]
    : [];
}

export function backupContactRule(doc: Json): RuleFinding[] {
  const sender = obj(doc, 'sender');
  if (!sender || has(sender, 'backupContact')) return [];
  return [finding('BACKUP_CONTACT_MISSING', '/sender')];
}
