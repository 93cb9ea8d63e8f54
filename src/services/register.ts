/**
 * `handover register list|pending`, and `registerSent` with which `handover new` (and
 * `withdraw`) records what this organisation sends.
 */

import { stringify } from 'csv-stringify/sync';
import { EXIT, HandoverError } from '../core/errors.js';
import { helsinkiDateOf } from '../domain/dates.js';
import { type Lang, t, tn } from '../i18n/index.js';
import { escapeControl, jsonText } from '../io/escape.js';
import { parseDuration } from '../register/duration.js';
import { type HandoverRow, type HandoverStatus, openRegister } from '../register/index.js';

export const REGISTER_FORMATS = ['table', 'json', 'csv'] as const;
export type RegisterFormat = (typeof REGISTER_FORMATS)[number];

/** One register row as commands return it under --json (no personal data by construction). */
export type RegisterEntry = HandoverRow;

export interface RegisterListResult {
  entries: RegisterEntry[];
}

/** A handover waiting for its receipt, with the days left to its replyBy (negative: overdue). */
export type PendingEntry = RegisterEntry & { daysLeft?: number };

export interface RegisterPendingResult {
  /** Only those past their replyBy (`--overdue`). */
  overdue: boolean;
  /** The cut-off of `--older-than`, when one was given. */
  olderThan?: string;
  before?: string;
  /** The Helsinki date the days are counted from. */
  today: string;
  entries: PendingEntry[];
}

/** Whole days from `from` to `to` (calendar dates, no time zone). */
const daysBetween = (from: string, to: string): number =>
  Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

export async function listRegister(opts: { status?: HandoverStatus } = {}): Promise<RegisterListResult> {
  const reg = await openRegister();
  try {
    return { entries: await reg.list(opts.status ? { status: opts.status } : {}) };
  } finally {
    await reg.close();
  }
}

export async function pendingRegister(
  opts: { olderThan?: string; overdue?: boolean; now?: Date } = {},
): Promise<RegisterPendingResult> {
  const now = opts.now ?? new Date();
  let before: Date | undefined;
  if (opts.olderThan !== undefined) {
    const ms = parseDuration(opts.olderThan);
    if (ms === undefined) {
      throw new HandoverError('DURATION_INVALID', EXIT.usage, {
        key: 'register.DURATION_INVALID',
        vars: { value: opts.olderThan.slice(0, 40) },
      });
    }
    before = new Date(now.getTime() - ms);
  }
  const today = helsinkiDateOf(now);
  const reg = await openRegister();
  try {
    const rows = await reg.pending({
      ...(before ? { before } : {}),
      ...(opts.overdue ? { overdueOn: today } : {}),
    });
    return {
      overdue: opts.overdue === true,
      ...(opts.olderThan !== undefined && before
        ? { olderThan: opts.olderThan, before: before.toISOString() }
        : {}),
      today,
      entries: rows.map((r) => (r.replyBy ? { ...r, daysLeft: daysBetween(today, r.replyBy) } : r)),
    };
  } finally {
    await reg.close();
  }
}

const COLUMNS = [
  'id',
  'direction',
  'status',
  'type',
  'eventAt',
  'counterpart',
  'counterpartBusinessId',
  'rejectionCodes',
  'supersedes',
] as const;

/** A handover type in words; a type this version does not know stays as written. */
export const typeName = (type: string, lang: Lang): string => {
  const key = `show.type.${type}`;
  const s = t(key, lang);
  return s === key ? type : s;
};

function cells(e: RegisterEntry, lang: Lang): string[] {
  const sent = e.direction === 'sent';
  return [
    e.id,
    t(`register.direction_${e.direction}`, lang),
    t(`register.status_${e.status}`, lang),
    typeName(e.type, lang),
    e.eventAt,
    sent ? e.recipientName : e.senderName,
    sent ? e.recipientBusinessId : e.senderBusinessId,
    e.rejectionCodes.join(' '),
    e.supersedes ?? '',
  ];
}

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return that hides
 * one) as a formula: organisation names come from other parties' files, so every such cell
 * is defused with a leading apostrophe (OWASP CSV injection).
 */
export const defuseCell = (v: string): string => (/^[=+\-@\t\r]/.test(v) ? `'${v}` : v);

export async function renderRegister(
  entries: RegisterEntry[],
  format: RegisterFormat,
  lang: Lang,
): Promise<string> {
  if (format === 'json') return `${jsonText(entries, 2)}\n`;
  const header = COLUMNS.map((c) => t(`register.col_${c}`, lang));
  // Names come from other parties' files: no cell may steer the terminal or break the table.
  const body = entries.map((e) => cells(e, lang).map((c) => escapeControl(c, { inline: true })));
  if (format === 'csv') return csv(header, body);
  if (entries.length === 0) return `${t('register.empty', lang)}\n`;
  // The table shows what a worker scans for; the full id and parties stay in json/csv.
  const pick = (r: string[]) => [r[0]!, r[1]!, r[2]!, r[4]!, r[5]!, r[6]!, r[7]!];
  // Ids shortened to 8 characters and times to their date; the header stays whole.
  return table([
    pick(header),
    ...body
      .map((r) => pick(r))
      .map((r) => [r[0]!.slice(0, 8), r[1]!, r[2]!, r[3]!.slice(0, 10), r[4]!, r[5]!, r[6]!]),
  ]);
}

/** "3 days left", "overdue by 2 days", "due today" in the worker's language. */
export function daysText(daysLeft: number | undefined, lang: Lang): string {
  if (daysLeft === undefined) return '';
  if (daysLeft === 0) return t('register.dueToday', lang);
  return daysLeft > 0 ? tn('register.daysLeft', lang, daysLeft) : tn('register.daysOverdue', lang, -daysLeft);
}

/**
 * `register pending`: what each handover waits for, with its reply-by date and the days
 * overdue or left, so that the worker sees which partner to call first.
 */
export function renderPending(entries: PendingEntry[], format: RegisterFormat, lang: Lang): string {
  if (format === 'json') return `${jsonText(entries, 2)}\n`;
  const cols = ['id', 'eventAt', 'replyBy', 'days', 'type', 'counterpart', 'counterpartBusinessId'];
  const header = cols.map((c) => t(`register.col_${c}`, lang));
  const body = entries.map((e) =>
    [
      e.id,
      e.eventAt,
      e.replyBy ?? '',
      daysText(e.daysLeft, lang),
      typeName(e.type, lang),
      e.recipientName,
      e.recipientBusinessId,
    ].map((c) => escapeControl(c, { inline: true })),
  );
  if (format === 'csv') return csv(header, body);
  if (entries.length === 0) return '';
  return table([
    header,
    ...body.map((r) => [r[0]!.slice(0, 8), r[1]!.slice(0, 10), r[2]!, r[3]!, r[4]!, r[5]!, r[6]!]),
  ]);
}

const csv = (header: string[], body: string[][]): string =>
  stringify(
    [header, ...body].map((r) => r.map(defuseCell)),
    { record_delimiter: 'windows' },
  );

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => [...r[i]!].length)));
  return `${rows
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`;
}

/** The statuses `register list --status` offers. */
export { HANDOVER_STATUSES } from '../register/index.js';
