/**
 * `handover register list|pending`, and `registerSent` with which `handover new` (and
 * `withdraw`) records what this organisation sends.
 */

import { stringify } from 'csv-stringify/sync';
import { EXIT, HandoverError } from '../core/errors.js';
import { helsinkiDateOf } from '../domain/dates.js';
import { type Lang, t } from '../i18n/index.js';
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

export interface RegisterPendingResult {
  olderThan: string;
  before: string;
  entries: RegisterEntry[];
}

export async function listRegister(opts: { status?: HandoverStatus } = {}): Promise<RegisterListResult> {
  const reg = await openRegister();
  try {
    return { entries: await reg.list(opts.status ? { status: opts.status } : {}) };
  } finally {
    await reg.close();
  }
}

export async function pendingRegister(opts: {
  olderThan: string;
  now?: Date;
}): Promise<RegisterPendingResult> {
  const ms = parseDuration(opts.olderThan);
  if (ms === undefined) {
    throw new HandoverError('DURATION_INVALID', EXIT.usage, {
      key: 'register.DURATION_INVALID',
      vars: { value: opts.olderThan.slice(0, 40) },
    });
  }
  const before = new Date((opts.now ?? new Date()).getTime() - ms);
  const reg = await openRegister();
  try {
    const today = helsinkiDateOf(opts.now ?? new Date());
    return {
      olderThan: opts.olderThan,
      before: before.toISOString(),
      entries: await reg.pending(before, today),
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

function cells(e: RegisterEntry, lang: Lang): string[] {
  const sent = e.direction === 'sent';
  return [
    e.id,
    t(`register.direction_${e.direction}`, lang),
    t(`register.status_${e.status}`, lang),
    e.type,
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
  if (format === 'csv') {
    return stringify(
      [header, ...body].map((r) => r.map(defuseCell)),
      { record_delimiter: 'windows' },
    );
  }
  if (entries.length === 0) return `${t('register.empty', lang)}\n`;
  // The table shows what a worker scans for; the full id and parties stay in json/csv.
  const pick = (r: string[]) => [r[0]!, r[1]!, r[2]!, r[4]!, r[5]!, r[6]!, r[7]!];
  // Ids shortened to 8 characters and times to their date; the header stays whole.
  const short = [
    pick(header),
    ...body
      .map((r) => pick(r))
      .map((r) => [r[0]!.slice(0, 8), r[1]!, r[2]!, r[3]!.slice(0, 10), r[4]!, r[5]!, r[6]!]),
  ];
  const widths = short[0]!.map((_, i) => Math.max(...short.map((r) => [...r[i]!].length)));
  return `${short
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
