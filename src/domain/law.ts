/**
 * The last day of the right (SPEC §5.4). The law changed three times in six years, so the
 * limits are data (templates/data/law-table.json) with effective dates, not constants here.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../paths.js';
import {
  addYears,
  ageOn,
  birthday,
  compareDates,
  dayBefore,
  helsinkiDate,
  isDate,
  minDate,
} from './dates.js';

export type HandoverType = 'aftercare' | 'integration-support';

export interface LawRow {
  type: HandoverType;
  /** First createdAt date (Helsinki) the row applies to; null for the oldest row. */
  from: string | null;
  ageLimit: number;
  fiveYearsAfterLastClient: boolean;
  transition?: { onDate: string; ages: number[]; until: string; neverPastAge: number };
  source: string;
}

export type LimitingFactor = 'age' | 'five-years' | 'transition' | 'discretionary';

export interface RightInput {
  type: unknown;
  birthDate: unknown;
  /** RFC 3339 date-time (read as a Helsinki date) or a 'YYYY-MM-DD' date. */
  createdAt: unknown;
  placementEndedOn?: unknown;
  lastClientOn?: unknown;
  discretionary?: unknown;
  policyReference?: unknown;
}

export interface RightResult {
  lastDay: string;
  limitingFactor: LimitingFactor;
  row: LawRow;
}

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

/** The day a transitional provision keeps the right to, when it covers this youth. */
function transitionLastDay(row: LawRow, birth: string): string | undefined {
  const tr = row.transition;
  if (!tr?.ages.includes(ageOn(birth, tr.onDate))) return undefined;
  return minDate(tr.until, dayBefore(birthday(birth, tr.neverPastAge)));
}

const asDate = (v: unknown): string | undefined => (isDate(v) ? v : helsinkiDate(v));

/** The row of the law in force on `date` for this type. */
export function lawRow(type: unknown, date: string): LawRow | undefined {
  let best: LawRow | undefined;
  for (const r of lawTable()) {
    if (r.type !== type) continue;
    if (r.from !== null && compareDates(r.from, date) > 0) continue;
    if (!best || best.from === null || (r.from !== null && compareDates(r.from, best.from) > 0)) best = r;
  }
  return best;
}

/**
 * The last day of the right under the law in force on createdAt, and what limits it; undefined
 * when the input lacks a type, a birth date or a createdAt to compute from.
 */
export function lastDayOfRight(input: RightInput): RightResult | undefined {
  const created = asDate(input.createdAt);
  if (created === undefined || !isDate(input.birthDate)) return undefined;
  const birth = input.birthDate;
  const row = lawRow(input.type, created);
  if (!row) return undefined;

  let lastDay = dayBefore(birthday(birth, row.ageLimit));
  let factor: LimitingFactor = 'age';

  const kept = transitionLastDay(row, birth);
  if (kept !== undefined) {
    if (compareDates(kept, lastDay) > 0) {
      lastDay = kept;
      factor = 'transition';
    }
  }

  if (row.fiveYearsAfterLastClient) {
    const lastClient = isDate(input.lastClientOn)
      ? input.lastClientOn
      : isDate(input.placementEndedOn)
        ? input.placementEndedOn
        : undefined;
    if (lastClient !== undefined) {
      const five = addYears(lastClient, 5);
      // On a tie the age limit is named: it is the one the youth can foresee.
      if (compareDates(five, lastDay) < 0) {
        lastDay = five;
        factor = 'five-years';
      }
    }
  }

  const policy = typeof input.policyReference === 'string' && input.policyReference.trim() !== '';
  if (input.discretionary === true && policy) {
    const lifted = dayBefore(birthday(birth, DISCRETIONARY_AGE));
    if (compareDates(lifted, lastDay) > 0) {
      lastDay = lifted;
      factor = 'discretionary';
    }
  }
  return { lastDay, limitingFactor: factor, row };
}
