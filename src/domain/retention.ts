/**
 * Retention periods as cited data (SPEC §12): templates/data/retention.json, in the law
 * table's style. Only the log of use and disclosure runs out by itself; a case's rows run from
 * the client's death, which the tool cannot know, so they go only when the organisation names them.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../core/paths.js';

export interface RetentionPeriod {
  id: string;
  years: number;
  from: 'event' | 'client-death';
  automatic: boolean;
  citation: string;
}

let cached: RetentionPeriod[] | undefined;

export function retentionPeriods(): RetentionPeriod[] {
  cached ??= (
    JSON.parse(readFileSync(join(templatesDir(), 'data', 'retention.json'), 'utf8')) as {
      periods: RetentionPeriod[];
    }
  ).periods;
  return cached;
}

export function retentionPeriod(id: string): RetentionPeriod {
  const p = retentionPeriods().find((x) => x.id === id);
  if (!p) throw new Error(`retention period ${id} missing from retention.json`);
  return p;
}

/** The moment before which an event's period has run out: `years` calendar years before `now`. */
export function cutoffFor(period: RetentionPeriod, now: Date): Date {
  const d = new Date(now.getTime());
  d.setUTCFullYear(d.getUTCFullYear() - period.years);
  return d;
}
