/** HETU_INVALID, HETU_BIRTHDATE_MISMATCH: the youth's personal identity code. */
import { helsinkiDate, isDate } from '../dates.js';
import { parseHetu } from '../hetu.js';
import { finding } from './registry.js';
import { type Json, obj, type RuleFinding } from './types.js';

export function identityRules(doc: Json): RuleFinding[] {
  const youth = obj(doc, 'youth');
  if (!youth || typeof youth.personalIdentityCode !== 'string') return [];
  // Without a readable createdAt, the "born after the handover" check cannot be made.
  const r = parseHetu(youth.personalIdentityCode, helsinkiDate(doc.createdAt));
  if (!r.valid) return [finding('HETU_INVALID', '/youth/personalIdentityCode', { reason: r.reason })];
  if (isDate(youth.birthDate) && youth.birthDate !== r.birthDate)
    // No params: the birth date is personal data, and the pointer says where to look.
    return [finding('HETU_BIRTHDATE_MISMATCH', '/youth/birthDate')];
  return [];
}
