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
  /** Principle (b): a right alive on `from` lasts at least to `until`, never past the previous row's day. */
  transition?: { until: string };
  /** Short reference for the letter, e.g. "LsL 75 § 3 mom. (542/2019)". */
  citation: Citation;
  /** Where the row comes from, with addresses. */
  source: string;
}

/** The older, coarser name of the reason, kept for callers that key messages on it. */
export type LimitingFactor = 'age' | 'five-years' | 'transition' | 'discretionary';

export interface RightInput {
  type: unknown;
  birthDate: unknown;
  /** RFC 3339 date-time (read as a Helsinki date) or a 'YYYY-MM-DD' date. */
  createdAt: unknown;
  /** Not used for the five-year rule any more (SPEC §5.4); accepted so callers need not change. */
  placementEndedOn?: unknown;
  /** Given only when the client relationship has ended; absent = a client on createdAt. */
  lastClientOn?: unknown;
  discretionary?: unknown;
  policyReference?: unknown;
}

/** A day set by the law itself, before any discretionary policy. */
export type StatutoryReason =
  /** The age limit of the row in force: the day before the birthday `turnsOn`. */
  | { reason: 'age'; ageLimit: number; turnsOn: string }
  /**
   * The right had ended under an older row before a later change took effect, and that
   * change did not revive it: `ageLimit` and `citation` are the older row's, `notRevivedBy`
   * the citation of the change that left it ended.
   */
  | { reason: 'no-revival'; ageLimit: number; turnsOn: string; notRevivedBy: Citation }
  /** Kept by the transition of the 2024 amendment to `until`, later than the new age limit. */
  | { reason: 'transition-2024'; ageLimit: number; turnsOn: string; until: string }
  /** Five years after the client relationship ended on `lastClientOn`. */
  | { reason: 'five-years'; lastClientOn: string };

export type DiscretionaryReason = {
  reason: 'discretionary';
  ageLimit: number;
  turnsOn: string;
  policyReference: string;
  /** The day the law alone gives, and why: integration support is not reimbursed past it. */
  statutory: { lastDay: string; citation: Citation } & StatutoryReason;
};

export type LastDayReason = StatutoryReason | DiscretionaryReason;

export type RightResult = {
  lastDay: string;
  /** The row whose rule gives the day (the older row for 'no-revival'). */
  row: LawRow;
  /** The row of the law in force on createdAt. */
  inForce: LawRow;
  /** The citation of the provision that gives the day (empty for 'discretionary': see statutory). */
  citation: Citation;
  /** Alias of `reason` in the older vocabulary ('no-revival' is 'age', 'transition-2024' is 'transition'). */
  limitingFactor: LimitingFactor;
} & LastDayReason;

/** The age above which discretionary aftercare is never given (SPEC §5.4). */
const DISCRETIONARY_AGE = 25;

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
function rowDay(rows: LawRow[], i: number, birth: string): Statutory {
  const row = rows[i]!;
  const own = ageDay(row, birth);
  if (i === 0 || row.from === null) return own;
  const prev = rowDay(rows, i - 1, birth);

  if (row.noRevival && compareDates(prev.lastDay, row.from) < 0)
    return prev.reason === 'age' ? { ...prev, reason: 'no-revival', notRevivedBy: row.citation } : prev;

  if (row.transition && compareDates(prev.lastDay, row.from) >= 0) {
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

  let statutory: Statutory = rowDay(rows, rows.indexOf(inForce), birth);

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

  const policy = typeof input.policyReference === 'string' ? input.policyReference.trim() : '';
  if (input.discretionary === true && policy !== '') {
    const turnsOn = birthday(birth, DISCRETIONARY_AGE);
    const lifted = dayBefore(turnsOn);
    if (compareDates(lifted, statutory.lastDay) > 0) {
      const { row: _row, ...law } = statutory;
      return {
        lastDay: lifted,
        row: inForce,
        inForce,
        citation: { fi: '', sv: '', en: '' },
        limitingFactor: 'discretionary',
        reason: 'discretionary',
        ageLimit: DISCRETIONARY_AGE,
        turnsOn,
        policyReference: policy,
        statutory: law,
      };
    }
  }
  return { ...statutory, inForce, limitingFactor: LEGACY[statutory.reason] };
}
