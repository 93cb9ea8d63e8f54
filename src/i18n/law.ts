/**
 * The reason of the last day of the right in words (templates/messages/<lang>/law.json): the
 * domain computes the day and its reason, the edge words it.
 */
import { compareDates, formatDateFi, isDate } from '../domain/dates.js';
import type { Citation, LastDayReason, RightResult } from '../domain/law.js';
import { type Lang, t } from './index.js';

/**
 * Why the right ends on its day, as a clause for the letter and `show` ("turns 23 on
 * 2.5.2029 (LsL 75 § 3 mom. …)"). With `endsOn` earlier than the law's day, the agreed day
 * is named with the law's day beside it. Birth-derived dates appear here by design: this
 * text goes to the parties of the case, never into validation messages.
 */
/**
 * A citation goes inside parentheses in its sentence: its own "(HE 56/2023)" becomes
 * ", HE 56/2023," so that no parentheses nest ("(LsL 75 § 3 mom., HE 56/2023, ja …)").
 */
export const unbracketed = (citation: string): string =>
  citation.replace(
    /\s*\(([^()]*)\)(\s*)/g,
    (_, inner: string, after: string) => `, ${inner}${after ? ',' : ''}${after}`,
  );

export function lastDayReasonText(right: RightResult, lang: Lang, endsOn?: string): string {
  const d = (s: string) => (lang === 'en' ? s : formatDateFi(s));
  const reasonText = (r: LastDayReason, cited: Citation): string => {
    const citation = unbracketed(cited[lang]);
    switch (r.reason) {
      case 'age':
        return t('law.REASON__age', lang, { age: r.ageLimit, turnsOn: d(r.turnsOn), citation });
      case 'no-revival':
        return t('law.REASON__no-revival', lang, {
          age: r.ageLimit,
          turnsOn: d(r.turnsOn),
          citation,
          notRevivedBy: r.notRevivedBy[lang],
        });
      case 'transition-2024':
        return t('law.REASON__transition-2024', lang, {
          age: r.ageLimit,
          turnsOn: d(r.turnsOn),
          until: d(r.until),
          transitionCitation: r.transitionCitation[lang],
        });
      case 'five-years':
        return t('law.REASON__five-years', lang, { lastClientOn: d(r.lastClientOn), citation });
      case 'discretionary':
        return t('law.REASON__discretionary', lang, { age: r.ageLimit, turnsOn: d(r.turnsOn), citation });
      case 'extension': {
        const integration = right.inForce.type === 'integration-support' ? '-integration' : '';
        const { kind, reference, decidedOn } = r.extension;
        return t(`law.REASON__${kind}${integration}`, lang, {
          reference,
          decidedOn: decidedOn ? d(decidedOn) : t('law.NO_DATE', lang),
          statutoryLastDay: d(r.statutory.lastDay),
          statutoryReason: reasonText(r.statutory, r.statutory.citation),
        });
      }
    }
  };
  const why = reasonText(right, right.citation);
  if (endsOn !== undefined && isDate(endsOn) && compareDates(endsOn, right.lastDay) < 0)
    return t('law.AGREED', lang, { endsOn: d(endsOn), lastDay: d(right.lastDay), reason: why });
  return why;
}
