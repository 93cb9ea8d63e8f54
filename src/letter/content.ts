/**
 * What the cover letter and the youth's copy both say, decided once: which services the
 * scope lets out, the names of categories and languages, the last day of the right with its
 * reason, and the agenda of the proposed meeting with each item once.
 */
import { serviceName as catalogueName, serviceCategories } from '../domain/catalogue.js';
import { lastDayOfRight, readExtension } from '../domain/law.js';
import { lastDayReasonText } from '../i18n/law.js';
import type { Category, Handover } from '../schema/types.js';
import { formatDate, formatMoney, formatNumber } from './format.js';
import type { LetterTexts } from './texts.js';

export type Service = Handover['services'][number];

export const serviceName = (s: Service, T: LetterTexts): string => catalogueName(s.code, T.lang);

/** Category names; "entitlement" is named for what the right is (aftercare or the support). */
export const categoryList = (cats: readonly Category[], T: LetterTexts, type: Handover['type']): string =>
  cats
    .map((c) => T.tx(c === 'entitlement' ? `categories.entitlement.${type}` : `categories.${c}`))
    .join(', ');

export function languageName(code: string, T: LetterTexts): string {
  try {
    return new Intl.DisplayNames([T.locale], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/**
 * Services whose categories (own tags and the code's defaults) the scope covers. Validation
 * rejects a file with others; this is the second guard, in the place where data leaves.
 */
export const visibleServices = (doc: Handover, scope: ReadonlySet<Category>): Service[] =>
  scope.has('services') ? doc.services.filter((s) => serviceCategories(s).every((c) => scope.has(c))) : [];

/** The price basis of a service: unit price, unit and the estimate, each amount with its €. */
export function priceBasis(s: Service, T: LetterTexts): string {
  const p = s.pricing;
  if (!p) return T.tx('services.noPrice');
  const price = formatMoney(p.unitPriceEur, T);
  const base =
    p.unit === 'lump-sum'
      ? T.tx('services.priceLump', { price })
      : T.tx('services.price', { price, unit: T.tx(`services.unit.${p.unit}`) });
  if (p.estimatedUnits === undefined || p.unit === 'lump-sum') return base;
  return `${base}; ${T.tx('services.estimate', {
    units: formatNumber(p.estimatedUnits, T),
    price,
    total: formatMoney(p.unitPriceEur * p.estimatedUnits, T),
  })}`;
}

export interface RightText {
  /** The day the right (or the support) ends, as the letter prints it. */
  endsOn: string;
  /** Why it ends on that day, with the citation (SPEC §5.4); undefined when it cannot be computed. */
  reason?: string;
  /** The citation of the provision that gives the day (for the youth's copy, at its end). */
  citation?: string;
  /** With an extension: the statutory day, printed apart from what the extension offers. */
  statutoryDay?: string;
  /** The first day of the law row in force (integration support: 681/2023 from 2025-01-01). */
  rowFrom?: string | null;
  /** The last day under the law (the statutory day where an extension reaches further), yyyy-mm-dd. */
  lawDay?: string;
}

const capitalise = (s: string): string => s.charAt(0).toLocaleUpperCase() + s.slice(1);

export function rightText(doc: Handover, T: LetterTexts): RightText | undefined {
  const e = doc.entitlement;
  if (!e) return undefined;
  const right = lastDayOfRight({
    type: doc.type,
    birthDate: doc.youth.birthDate,
    createdAt: doc.createdAt,
    basis: e.basis,
    placementEndedOn: e.placementEndedOn,
    lastClientOn: e.lastClientOn,
    extension: readExtension(e),
  });
  const endsOn = formatDate(e.endsOn, T);
  if (!right) return { endsOn };
  const cited = right.reason === 'extension' ? right.statutory.citation : right.citation;
  return {
    endsOn,
    reason: capitalise(lastDayReasonText(right, T.lang, e.endsOn)),
    citation: cited[T.lang],
    rowFrom: right.inForce.from,
    ...(right.reason === 'extension' ? { statutoryDay: formatDate(right.statutory.lastDay, T) } : {}),
    lawDay: right.reason === 'extension' ? right.statutory.lastDay : right.lastDay,
  };
}

/** The meeting's agenda: the items that need agreement, the worker's own items, the default; each once. */
export function agendaItems(doc: Handover, list: Service[], T: LetterTexts): string[] {
  const items = [
    ...list
      .filter((s) => s.classification === 'needs-agreement')
      .map((s) => T.tx('meeting.agendaService', { service: serviceName(s, T) })),
    ...(doc.meeting?.agenda ?? []),
    T.tx('meeting.agendaDefault'),
  ];
  const norm = (s: string): string =>
    s
      .trim()
      .toLocaleLowerCase(T.locale)
      .replace(/[\s.;:]+/g, ' ')
      .trim();
  const keys = items.map(norm);
  // An item said again, or said inside a longer one ("vastuutyöntekijä" beside "vastuutyöntekijä
  // ja työnjako"), is dropped: the longer wording stays, the first of equals stays.
  return items.filter((_, i) => {
    const k = keys[i]!;
    return !keys.some((o, j) => j !== i && (o === k ? j < i : o.includes(k)));
  });
}
