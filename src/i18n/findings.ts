/** A finding as a sentence in the user's language (templates/messages/<lang>/rules.json). */

import { formatDateFi, isDate } from '../domain/dates.js';
import type { RuleFinding } from '../domain/rules/types.js';
import { hasKey, type Lang, t } from './index.js';

/**
 * The message of a finding: the variant `CODE__<reason>` when the catalogue has one, else
 * the code's general message. Dates are written d.m.yyyy in Finnish and Swedish; a param given
 * per language (`citation_fi`, `citation_sv`, `citation_en`) is passed as the reader's `citation`.
 */
export function ruleMessage(finding: RuleFinding, lang: Lang): string {
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(finding.params ?? {}))
    params[k] = lang !== 'en' && isDate(v) ? formatDateFi(v) : v;
  for (const [k, v] of Object.entries(params))
    if (k.endsWith(`_${lang}`)) params[k.slice(0, -lang.length - 1)] = v;
  const reason = finding.params?.reason;
  const variant = reason === undefined ? undefined : `rules.${finding.rule}__${reason}`;
  const key = variant !== undefined && hasKey(variant) ? variant : `rules.${finding.rule}`;
  return t(key, lang, params);
}
