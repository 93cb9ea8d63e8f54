/**
 * The last day of the right (SPEC §5.4). The law changed three times in six years, so the
 * limits are data (templates/data/law-table.json) with effective dates and citations, not
 * constants here; this module only knows how one row is laid over the one before it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../core/paths.js';
import { addYears, birthday, compareDates, dayBefore, helsinkiDate, isDate } from './dates.js';

export type HandoverType = 'aftercare' | 'integration-support';

/** A short reference to the provision, as a letter prints it in each language. */
export type Citation = { fi: string; sv: string; en: string };

export interface LawRow {
  type: HandoverType;
  /** First createdAt date (Helsinki) the row applies to; null for the oldest row. */
  from: string | null;
  ageLimit: number;
  fiveYearsAfterLastClient: boolean;
  /** Principle (a): a right that had ended under the previous row before `from` stays ended. */
  noRevival: boolean;
  /** The provision that says so, when it is not the row's own citation. */
  noRevivalCitation?: Citation;
  /**
   * Principle (b): a statutory right that began before `from` and is alive on it lasts at
   * least to `until`, never past the previous row's day.
   */
  transition?: { until: string; citation: Citation };
  /** Aftercare rows: discretionary aftercare (LsL 75 § 2 mom.) only for a "nuori" of 6 §. */
  discretionary?: { ageLimit: number; citation: Citation };
  /** Short reference to the act for the letter, e.g. "LsL 75 § 3 mom. (542/2019)". */
  citation: Citation;
  /** Where the row comes from, with addresses. */
  source: string;
}

/** The older, coarser name of the reason, kept for callers that key messages on it. */
export type LimitingFactor = 'age' | 'five-years' | 'transition' | 'discretionary' | 'extension';

export type ExtensionKind = 'transitional-decision' | 'own-policy';
/** Support past the statutory day (SPEC §5.4): a decision under a transition, or an own policy. */
export interface Extension {
  kind: ExtensionKind;
  reference: string;
  decidedOn?: string;
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * The extension of an entitlement: format 1.2's `extension`, or a 1.0/1.1 `discretionary:
 * true` (with its `policyReference`), which is read as the sender's own policy (SPEC §5.6).
 */
export function readExtension(ent: unknown): Extension | undefined {
  if (!isObj(ent)) return undefined;
  const x = ent.extension;
  if (isObj(x) && (x.kind === 'transitional-decision' || x.kind === 'own-policy')) {
    const out: Extension = {
      kind: x.kind,
      reference: typeof x.reference === 'string' ? x.reference.trim() : '',
    };
    if (isDate(x.decidedOn)) out.decidedOn = x.decidedOn;
    return out;
  }
  if (ent.discretionary === true)
    return {
      kind: 'own-policy',
      reference: typeof ent.policyReference === 'string' ? ent.policyReference.trim() : '',
    };
  return undefined;
}

export interface RightInput {
  type: unknown;
  birthDate: unknown;
  /** RFC 3339 date-time (read as a Helsinki date) or a 'YYYY-MM-DD' date. */
  createdAt: unknown;
  /** entitlement.basis: "discretionary" has its own limit; the transition covers statutory bases only. */
  basis?: unknown;
  /** The 2024 transition covers only a right that began (the placement ended) before 1.1.2024. */
  placementEndedOn?: unknown;
  /** Given only when the client relationship has ended; absent = a client on createdAt. */
  lastClientOn?: unknown;
  /** entitlement.extension (1.2), or see `discretionary`. */
  extension?: unknown;
  /** 1.0/1.1: read as an own-policy extension with this reference. */
  discretionary?: unknown;
  policyReference?: unknown;
}

/** A day set by the law itself, before any extension. */
export type StatutoryReason =
  /** The age limit of the row in force: the day before the birthday `turnsOn`. */
  | { reason: 'age'; ageLimit: number; turnsOn: string }
  /**
   * The right had ended under an older row before a later change took effect, and that
   * change did not revive it: `ageLimit` and `citation` are the older row's, `notRevivedBy`
   * the citation of the provision that left it ended.
   */
  | { reason: 'no-revival'; ageLimit: number; turnsOn: string; notRevivedBy: Citation }
  /** Kept by the transition of the 2024 amendment to `until`, later than the new age limit. */
  | {
      reason: 'transition-2024';
      ageLimit: number;
      turnsOn: string;
      until: string;
      transitionCitation: Citation;
    }
  /** Five years after the client relationship ended on `lastClientOn`. */
  | { reason: 'five-years'; lastClientOn: string }
  /** Discretionary aftercare (LsL 75 § 2 mom.): only while a "nuori" of LsL 6 §. */
  | { reason: 'discretionary'; ageLimit: number; turnsOn: string };

export type ExtensionReason = {
  reason: 'extension';
  extension: Extension;
  ageLimit: number;
  turnsOn: string;
  /** The day the law alone gives, and why: past it the support is the extension's. */
  statutory: { lastDay: string; citation: Citation } & StatutoryReason;
};

export type LastDayReason = StatutoryReason | ExtensionReason;

export type RightResult = {
  lastDay: string;
  /** The row whose rule gives the day (the older row for 'no-revival'). */
  row: LawRow;
  /** The row of the law in force on createdAt. */
  inForce: LawRow;
  /** The citation of the provision that gives the day (empty for 'extension': see statutory). */
  citation: Citation;
  /** Alias of `reason` in the older vocabulary ('no-revival' is 'age', 'transition-2024' is 'transition'). */
  limitingFactor: LimitingFactor;
} & LastDayReason;

/** The age before which an extension's support ends: never past the day before 25 (SPEC §5.4). */
export const EXTENSION_AGE = 25;

let table: readonly LawRow[] | undefined;

export function lawTable(): readonly LawRow[] {
  if (!table) {
    const data = JSON.parse(readFileSync(join(templatesDir(), 'data', 'law-table.json'), 'utf8')) as {
      rows: LawRow[];
    };
    table = data.rows;
  }
  return table;
}

/** The rows of one type, oldest first. */
function rowsOf(type: unknown): LawRow[] {
  // Asked for every file of a batch; the table does not change while the process runs.
  let rows = rowsByType.get(type);
  if (!rows) {
    rows = lawTable()
      .filter((r) => r.type === type)
      .sort((a, b) => (a.from === null ? -1 : b.from === null ? 1 : compareDates(a.from, b.from)));
    rowsByType.set(type, rows);
  }
  return rows;
}

const rowsByType = new Map<unknown, LawRow[]>();

const asDate = (v: unknown): string | undefined => (isDate(v) ? v : helsinkiDate(v));

/** The row of the law in force on `date` for this type. */
export function lawRow(type: unknown, date: string): LawRow | undefined {
  return rowsOf(type)
    .filter((r) => r.from === null || compareDates(r.from, date) <= 0)
    .at(-1);
}

type Statutory = { lastDay: string; row: LawRow; citation: Citation } & StatutoryReason;

type AgeDay = Statutory & { reason: 'age' };

const ageDay = (row: LawRow, birth: string): AgeDay => {
  const turnsOn = birthday(birth, row.ageLimit);
  return {
    lastDay: dayBefore(turnsOn),
    row,
    citation: row.citation,
    reason: 'age',
    ageLimit: row.ageLimit,
    turnsOn,
  };
};

/**
 * The day the rows up to `rows[i]` give, before the five-year rule: each row laid over the
 * day of the one before it, so that principles (a) and (b) hold at every change.
 */
function rowDay(rows: LawRow[], i: number, birth: string, endedOn: unknown): Statutory {
  const row = rows[i]!;
  const own = ageDay(row, birth);
  if (i === 0 || row.from === null) return own;
  const prev = rowDay(rows, i - 1, birth, endedOn);

  if (row.noRevival && compareDates(prev.lastDay, row.from) < 0)
    return prev.reason === 'age'
      ? { ...prev, reason: 'no-revival', notRevivedBy: row.noRevivalCitation ?? row.citation }
      : prev;

  // The right must have begun before the change: a placement that ended later starts a new
  // right under the new row alone (1283/2023, entry-into-force provision, 2 mom.).
  const begunBefore = !isDate(endedOn) || compareDates(endedOn, row.from) < 0;
  if (row.transition && begunBefore && compareDates(prev.lastDay, row.from) >= 0) {
    const { until } = row.transition;
    // Never past the earlier law's day: there that day stands, and its own age limit is named.
    if (compareDates(prev.lastDay, until) <= 0 && compareDates(prev.lastDay, own.lastDay) >= 0) return prev;
    if (compareDates(until, own.lastDay) > 0)
      return {
        lastDay: until,
        row,
        citation: row.citation,
        reason: 'transition-2024',
        ageLimit: row.ageLimit,
        turnsOn: own.turnsOn,
        until,
        transitionCitation: row.transition.citation,
      };
  }
  return own;
}

const LEGACY: Record<LastDayReason['reason'], LimitingFactor> = {
  age: 'age',
  'no-revival': 'age',
  'transition-2024': 'transition',
  'five-years': 'five-years',
  discretionary: 'discretionary',
  extension: 'extension',
};

/**
 * The last day of the right under the law in force on createdAt, with the reason and the
 * citation the letter, `show` and the interview print; undefined when the input lacks a
 * type, a birth date or a createdAt to compute from.
 */
export function lastDayOfRight(input: RightInput): RightResult | undefined {
  const created = asDate(input.createdAt);
  if (created === undefined || !isDate(input.birthDate)) return undefined;
  const birth = input.birthDate;
  const rows = rowsOf(input.type);
  const inForce = lawRow(input.type, created);
  if (!inForce) return undefined;

  let statutory: Statutory;
  if (input.basis === 'discretionary' && inForce.discretionary) {
    // LsL 75 § 2 mom.: aftercare for a "nuori" (6 §) with no statutory right; the five-year
    // rule and the transition concern placements under 75 § 1 mom. only.
    const { ageLimit, citation } = inForce.discretionary;
    const turnsOn = birthday(birth, ageLimit);
    statutory = {
      lastDay: dayBefore(turnsOn),
      row: inForce,
      citation,
      reason: 'discretionary',
      ageLimit,
      turnsOn,
    };
  } else {
    statutory = rowDay(rows, rows.indexOf(inForce), birth, input.placementEndedOn);
    // Only an ended client relationship starts the five years: a youth still in aftercare is a
    // client, and defaulting to placementEndedOn cut such rights short (SPEC §5.4).
    if (inForce.fiveYearsAfterLastClient && isDate(input.lastClientOn)) {
      const five = addYears(input.lastClientOn, 5);
      // On a tie the age limit is named: it is the one the youth can foresee.
      if (compareDates(five, statutory.lastDay) < 0)
        statutory = {
          lastDay: five,
          row: inForce,
          citation: inForce.citation,
          reason: 'five-years',
          lastClientOn: input.lastClientOn,
        };
    }
  }

  const extension = readExtension({
    extension: input.extension,
    discretionary: input.discretionary,
    policyReference: input.policyReference,
  });
  if (extension) {
    const turnsOn = birthday(birth, EXTENSION_AGE);
    const lifted = dayBefore(turnsOn);
    if (compareDates(lifted, statutory.lastDay) > 0) {
      const { row: _row, ...law } = statutory;
      return {
        lastDay: lifted,
        row: inForce,
        inForce,
        citation: { fi: '', sv: '', en: '' },
        limitingFactor: 'extension',
        reason: 'extension',
        extension,
        ageLimit: EXTENSION_AGE,
        turnsOn,
        statutory: law,
      };
    }
  }
  return { ...statutory, inForce, limitingFactor: LEGACY[statutory.reason] };
}

/**
 * The day by which independence funds (LsL 77 §) must be paid out at the latest (SPEC §5.4):
 * the end of a transitional decision's support (`endsOn`); the transition's day (30.6.2024)
 * where it kept the right; otherwise the outer age limit of the aftercare row for createdAt.
 */
export function youthFundsDue(input: RightInput & { endsOn?: unknown }): string | undefined {
  const created = asDate(input.createdAt);
  if (created === undefined || !isDate(input.birthDate)) return undefined;
  const ext = readExtension({
    extension: input.extension,
    discretionary: input.discretionary,
    policyReference: input.policyReference,
  });
  if (ext?.kind === 'transitional-decision') return isDate(input.endsOn) ? input.endsOn : undefined;
  const row = lawRow('aftercare', created);
  if (!row) return undefined;
  if (input.type === 'aftercare' && input.basis !== 'discretionary') {
    const rows = rowsOf('aftercare');
    const day = rowDay(rows, rows.indexOf(row), input.birthDate, input.placementEndedOn);
    if (day.reason === 'transition-2024') return day.lastDay;
  }
  return dayBefore(birthday(input.birthDate, row.ageLimit));
}
