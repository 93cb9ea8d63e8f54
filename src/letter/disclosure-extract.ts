/**
 * The extract a youth gets on asking who received their data (act 703/2023 11 §, SPEC §12):
 * in plain language like the youth's copy, one row per disclosure (when, to whom, which kinds
 * of data, on what basis, which document), tagged like every PDF we write and signed by the
 * service like a letter. It names no identity code: the youth is known to the worker who
 * hands it over, not to the paper.
 */
import type { Lang } from '../domain/language.js';
import { t } from '../i18n/index.js';
import { finishPdf, type RenderOptions, startPdf } from './document.js';
import { formatDate, helsinkiDate } from './format.js';
import { letterTexts } from './texts.js';

export interface ExtractRow {
  at: string;
  receiverName: string | null;
  receiverBusinessId: string | null;
  categories: string[];
  basis: string | null;
  documentId: string | null;
  action: string;
}

export interface ExtractOptions {
  lang: Lang;
  /** The organisation that answers: its name heads the extract. */
  organization: string;
  rows: ExtractRow[];
  now: Date;
  beforeSave?: RenderOptions['beforeSave'];
}

const BIG = 10.5;

export async function renderDisclosureExtract(opts: ExtractOptions): Promise<Uint8Array> {
  const T = letterTexts(opts.lang);
  // The extract's own bytes for the /ID and the font subset tags: what it lists, when.
  const bytes = new TextEncoder().encode(JSON.stringify({ at: opts.now.toISOString(), rows: opts.rows }));
  const s = await startPdf(bytes);
  const { w } = s;
  w.twoColumns(
    [{ text: opts.organization, size: 13, bold: true }],
    [
      { text: T.tx('youthCopy.confidential'), size: 11, bold: true },
      { text: T.tx('youthCopy.forYou') },
      { text: T.tx('header.date', { date: formatDate(helsinkiDate(opts.now), T) }) },
    ],
  );
  w.space(14);
  w.text(T.tx('extract.title'), { size: 15, bold: true, after: 8, tag: 'H1' });
  w.text(T.tx('extract.intro'), { size: BIG, after: 5 });
  if (opts.rows.length === 0) w.text(T.tx('extract.none'), { size: BIG, bold: true, after: 5 });
  else {
    w.text(T.tx('extract.count'), { size: BIG, after: 5 });
    w.table(
      [
        { title: T.tx('extract.col.when'), width: 0.14 },
        { title: T.tx('extract.col.to'), width: 0.28 },
        { title: T.tx('extract.col.what'), width: 0.3 },
        { title: T.tx('extract.col.why'), width: 0.14 },
        { title: T.tx('extract.col.document'), width: 0.14 },
      ],
      opts.rows.map((r) => [
        formatDate(helsinkiDate(new Date(r.at)), T),
        [r.receiverName ?? '–', r.receiverBusinessId ?? ''].filter(Boolean).join(', '),
        r.action === 'withdrawal'
          ? T.tx('extract.withdrawal')
          : r.categories.map((c) => t(`show.category.${c}`, opts.lang)).join(', ') || '–',
        r.basis === 'consent' ? T.tx('extract.basisConsent') : (r.basis ?? '–'),
        r.documentId ? r.documentId.slice(0, 8) : '–',
      ]),
    );
  }
  w.heading(T.tx('extract.rightsHeading'));
  w.bullets([T.tx('extract.rightAsk'), T.tx('youthCopy.rightDataProtection')], BIG);
  w.heading(T.tx('youthCopy.lawsHeading'));
  w.text(T.tx('extract.law'), { size: 8, grey: true, after: 2 });
  w.footer((page, pages) => [T.tx('footer.page', { page, pages })]);
  return finishPdf(s, {
    title: T.tx('extract.title'),
    subject: T.tx('extract.title'),
    keywords: T.tx('extract.keywords'),
    author: opts.organization,
    lang: opts.lang,
    date: opts.now,
    kind: 'disclosure-extract',
    fileBytes: bytes,
    ...(opts.beforeSave ? { beforeSave: opts.beforeSave } : {}),
  });
}
