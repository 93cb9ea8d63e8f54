/**
 * A small flowing layout on pdf-lib: paragraphs that wrap, label–value rows, bullet lists and
 * tables that continue across pages with their header repeated. The footer is drawn last, when
 * the number of pages is known ("page x / y"). Everything drawn is tagged as it is drawn
 * (`tagging.ts`): a paragraph is a P, a heading H1 or H2, label–value rows a table with row
 * headers, bullets a list; rules, backgrounds, a repeated table header and the footer are artifacts.
 */
import type { PDFDocument, PDFFont, PDFPage } from 'pdf-lib';
import { breakWord } from './hyphenate.js';
import { type StructNode, StructureTree } from './tagging.js';

type PdfLib = typeof import('pdf-lib');

export interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

export interface TextStyle {
  size?: number;
  bold?: boolean;
  indent?: number;
  /** Space after the block. */
  after?: number;
  grey?: boolean;
  /** Keep the whole paragraph on one page (a request must not split across pages). */
  keep?: boolean;
  /** What the block is to a screen reader: a paragraph unless said otherwise. */
  tag?: 'H1' | 'H2' | 'P';
}

export interface Line {
  text: string;
  size?: number;
  bold?: boolean;
  grey?: boolean;
}

export interface Column {
  title: string;
  /** Share of the text width. */
  width: number;
}

const A4: [number, number] = [595.28, 841.89];
const MARGIN_X = 56;
const MARGIN_TOP = 56;
const MARGIN_BOTTOM = 72;
const BODY = 9.5;
const LEADING = 1.3;

/**
 * What depends only on the bundled font files, computed once per process: the drawable code
 * points and the advance of each character. Building them for every letter took a tenth of
 * a signed letter's time. Keyed by the base font name (the subset tag differs per letter).
 */
const fontFacts = new Map<string, { drawable: Set<number>; advances: Map<string, number>[] }>();
const baseName = (f: PDFFont): string => f.name.slice(f.name.indexOf('+') + 1);

export class FlowWriter {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  y = 0;
  readonly width = A4[0] - 2 * MARGIN_X;
  readonly left = MARGIN_X;

  /** Code points both fonts can draw: anything else would be drawn as .notdef, which PDF/A forbids. */
  private readonly drawable: Set<number>;

  /** The logical structure, written into the document by `finishPdf`. */
  readonly tags: StructureTree;
  /** The label–value table that the next field joins, while nothing else comes between. */
  private fieldTable?: StructNode;

  constructor(
    private readonly lib: PdfLib,
    private readonly doc: PDFDocument,
    readonly fonts: Fonts,
  ) {
    const key = `${baseName(fonts.regular)}|${baseName(fonts.bold)}`;
    let facts = fontFacts.get(key);
    if (!facts) {
      const bold = new Set(fonts.bold.getCharacterSet());
      facts = {
        drawable: new Set(fonts.regular.getCharacterSet().filter((c) => bold.has(c))),
        advances: [new Map(), new Map()],
      };
      fontFacts.set(key, facts);
    }
    this.drawable = facts.drawable;
    this.advances = facts.advances;
    this.tags = new StructureTree(lib);
    this.newPage();
  }

  /** NFC (a decomposed "å" has no single glyph), tabs as spaces, undrawable characters as "?". */
  clean(text: string): string {
    let out = '';
    for (const ch of text.normalize('NFC').replace(/\t/g, ' ')) {
      out += ch === '\n' || ch === '\r' || this.drawable.has(ch.codePointAt(0) ?? 0) ? ch : '?';
    }
    return out;
  }

  newPage(): void {
    this.page = this.doc.addPage(A4);
    this.pages.push(this.page);
    this.y = A4[1] - MARGIN_TOP;
  }

  /** Moves to a new page unless `height` still fits above the footer. */
  ensure(height: number): void {
    if (this.y - height < MARGIN_BOTTOM) this.newPage();
  }

  space(h: number): void {
    this.y -= h;
  }

  private font(bold?: boolean): PDFFont {
    return bold ? this.fonts.bold : this.fonts.regular;
  }

  /** Per-character advances at size 1000: regular, bold. */
  private readonly advances: Map<string, number>[];

  /** Text width from cached per-character advances: measuring whole strings again and again dominated rendering time. */
  measure(text: string, size: number, bold?: boolean): number {
    const font = this.font(bold);
    const table = this.advances[bold ? 1 : 0]!;
    let w = 0;
    for (const ch of text) {
      let a = table.get(ch);
      if (a === undefined) {
        a = font.widthOfTextAtSize(ch, 1000);
        table.set(ch, a);
      }
      w += a;
    }
    return (w * size) / 1000;
  }

  /**
   * Breaks text into lines no wider than `width`, between words only (a no-break space, as
   * between an amount and its unit, holds); a word wider than the line is hyphenated.
   */
  wrap(text: string, width: number, size: number, bold?: boolean): string[] {
    const fits = (t: string): boolean => this.measure(t, size, bold) <= width;
    const lines: string[] = [];
    for (const para of this.clean(text).split(/\r?\n/)) {
      let line = '';
      for (const word of para.split(/ +/)) {
        const candidate = line ? `${line} ${word}` : word;
        if (fits(candidate)) {
          line = candidate;
          continue;
        }
        if (line) lines.push(line);
        line = '';
        let rest = word;
        while (!fits(rest)) {
          const [head, tail] = breakWord(rest, fits);
          lines.push(head);
          rest = tail;
        }
        line = rest;
      }
      lines.push(line);
    }
    return lines;
  }

  private readonly pageFont = new WeakMap<PDFPage, PDFFont>();

  /**
   * Draws one run of text as part of `into` (an element of the structure), or as an artifact:
   * the running footer, or a table's header repeated on a new page.
   */
  private draw(
    into: StructNode | 'footer' | 'repeated',
    page: PDFPage,
    text: string,
    x: number,
    y: number,
    size: number,
    bold?: boolean,
    grey?: boolean,
  ) {
    if (text === '') return;
    // pdf-lib adds a new font resource on every setFont (and drawText with a font does
    // setFont): switch only when the font changes, or each page gathers hundreds of entries.
    const font = this.font(bold);
    if (this.pageFont.get(page) !== font) {
      page.setFont(font);
      this.pageFont.set(page, font);
    }
    const run = (): void =>
      page.drawText(text, { x, y, size, color: grey ? this.lib.rgb(0.3, 0.3, 0.3) : this.lib.rgb(0, 0, 0) });
    if (into === 'footer') this.tags.artifact(page, run, 'Footer');
    else if (into === 'repeated') this.tags.artifact(page, run);
    else this.tags.mark(into, page, run);
  }

  /** A new block element at the top level of the document. */
  private block(type: Parameters<StructureTree['add']>[1]): StructNode {
    this.fieldTable = undefined;
    return this.tags.add(this.tags.root, type);
  }

  text(text: string, style: TextStyle = {}): void {
    const size = style.size ?? BODY;
    const indent = style.indent ?? 0;
    const lh = size * LEADING;
    const lines = this.wrap(text, this.width - indent, size, style.bold);
    const node = this.block(style.tag ?? 'P');
    if (style.keep) this.ensure(lines.length * lh);
    for (const line of lines) {
      this.ensure(lh);
      this.y -= lh;
      this.draw(
        node,
        this.page,
        line,
        this.left + indent,
        this.y + size * 0.25,
        size,
        style.bold,
        style.grey,
      );
    }
    this.y -= style.after ?? 4;
  }

  /** Height that `text` would take as a paragraph: to keep a short block on one page. */
  height(text: string, style: TextStyle = {}): number {
    const size = style.size ?? BODY;
    return (
      this.wrap(text, this.width - (style.indent ?? 0), size, style.bold).length * size * LEADING +
      (style.after ?? 4)
    );
  }

  /**
   * A heading kept with what follows: three body lines, or `next` points (the height of a
   * short block, so that it moves to the next page with its heading).
   */
  heading(text: string, next = 3 * BODY * LEADING): void {
    this.ensure(12 * LEADING + Math.min(next, 300) + 8);
    this.y -= 6;
    this.text(text, { size: 12, bold: true, after: 3, tag: 'H2' });
  }

  /** Label in a narrow left column, value wrapping in the right one. */
  field(label: string, value: string, labelWidth = 150): void {
    const lh = BODY * LEADING;
    const labels = this.wrap(label, labelWidth - 8, BODY, true);
    const values = this.wrap(value, this.width - labelWidth, BODY);
    const n = Math.max(labels.length, values.length);
    // Consecutive fields are one table: each row a header cell (the label) and its value.
    const last = this.tags.root.kids.at(-1);
    if (!this.fieldTable || last !== this.fieldTable) this.fieldTable = this.block('Table');
    const row = this.tags.add(this.fieldTable, 'TR');
    const th = this.tags.add(row, 'TH', 'Row');
    const td = this.tags.add(row, 'TD');
    // A field of a few lines stays on one page; a long one may continue.
    this.ensure((n <= 6 ? n : 3) * lh);
    for (let i = 0; i < n; i++) {
      this.ensure(lh);
      this.y -= lh;
      const base = this.y + BODY * 0.25;
      this.draw(th, this.page, labels[i] ?? '', this.left, base, BODY, true);
      this.draw(td, this.page, values[i] ?? '', this.left + labelWidth, base, BODY);
    }
    this.y -= 2;
  }

  bullets(items: string[], size = BODY): void {
    const list = this.block('L');
    for (const item of items) {
      const li = this.tags.add(list, 'LI');
      const label = this.tags.add(li, 'Lbl');
      const body = this.tags.add(li, 'LBody');
      const lines = this.wrap(item, this.width - 14, size);
      const lh = size * LEADING;
      // A short item stays on one page; a long one may continue.
      if (lines.length <= 4) this.ensure(lines.length * lh);
      lines.forEach((line, i) => {
        this.ensure(lh);
        this.y -= lh;
        const base = this.y + size * 0.25;
        if (i === 0) this.draw(label, this.page, '•', this.left + 3, base, size);
        this.draw(body, this.page, line, this.left + 14, base, size);
      });
      this.y -= 2;
    }
    this.y -= 2;
  }

  /** A table whose rows wrap; when a row does not fit, it moves to a new page under a repeated header. */
  table(columns: Column[], rows: string[][]): void {
    const size = 8.5;
    const lh = size * LEADING;
    const pad = 3;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * this.width);
    const grey = this.lib.rgb(0.6, 0.6, 0.6);
    const table = this.block('Table');
    /** `repeat`: the header again on a new page, which a reader has already heard (an artifact). */
    const drawRow = (cells: string[], kind: 'head' | 'body' | 'repeat'): void => {
      const bold = kind !== 'body';
      const wrapped = cells.map((c, i) => this.wrap(c, (widths[i] ?? 0) - 2 * pad, size, bold));
      const height = Math.max(...wrapped.map((w) => w.length)) * lh + 2 * pad;
      if (this.y - height < MARGIN_BOTTOM) {
        this.newPage();
        if (kind === 'body')
          drawRow(
            columns.map((c) => c.title),
            'repeat',
          );
      }
      const top = this.y;
      const page = this.page;
      if (bold) {
        this.tags.artifact(page, () =>
          page.drawRectangle({
            x: this.left,
            y: top - height,
            width: this.width,
            height,
            color: this.lib.rgb(0.9, 0.9, 0.9),
          }),
        );
      }
      const tr = kind === 'repeat' ? undefined : this.tags.add(table, 'TR');
      let x = this.left;
      wrapped.forEach((lines, i) => {
        const cell = tr
          ? this.tags.add(tr, kind === 'head' ? 'TH' : 'TD', kind === 'head' ? 'Column' : undefined)
          : undefined;
        lines.forEach((line, j) => {
          const y = top - pad - (j + 1) * lh + size * 0.3;
          this.draw(cell ?? 'repeated', page, line, x + pad, y, size, bold);
        });
        x += widths[i] ?? 0;
      });
      this.tags.artifact(page, () =>
        page.drawLine({
          start: { x: this.left, y: top - height },
          end: { x: this.left + this.width, y: top - height },
          thickness: 0.5,
          color: grey,
        }),
      );
      this.y = top - height;
    };
    this.ensure(3 * (lh + 2 * pad));
    drawRow(
      columns.map((c) => c.title),
      'head',
    );
    for (const row of rows) drawRow(row, 'body');
    this.y -= 8;
  }

  /** Two blocks side by side (letterhead): the left one wide, the right one right-aligned. */
  twoColumns(left: Line[], right: Line[], rightWidth = 240): void {
    const gap = 16;
    const leftWidth = this.width - rightWidth - gap;
    const lay = (lines: Line[], width: number) =>
      lines.flatMap((l) => this.wrap(l.text, width, l.size ?? BODY, l.bold).map((t) => ({ ...l, text: t })));
    const l = lay(left, leftWidth);
    const r = lay(right, rightWidth);
    const top = this.y;
    const place = (lines: Line[], alignRight: boolean): number => {
      let y = top;
      for (const line of lines) {
        const size = line.size ?? BODY;
        y -= size * LEADING;
        const x = alignRight ? this.left + this.width - this.measure(line.text, size, line.bold) : this.left;
        this.draw(this.block('P'), this.page, line.text, x, y + size * 0.25, size, line.bold, line.grey);
      }
      return y;
    };
    this.y = Math.min(place(l, false), place(r, true)) - 6;
  }

  /** Draws the footer lines at the bottom of every page; `lines(i, n)` gives the lines of page i (1-based). */
  footer(lines: (page: number, pages: number) => string[]): void {
    const n = this.pages.length;
    const size = 7;
    this.pages.forEach((page, i) => {
      const ls = lines(i + 1, n);
      this.tags.artifact(
        page,
        () =>
          page.drawLine({
            start: { x: this.left, y: MARGIN_BOTTOM - 16 },
            end: { x: this.left + this.width, y: MARGIN_BOTTOM - 16 },
            thickness: 0.5,
            color: this.lib.rgb(0.6, 0.6, 0.6),
          }),
        'Footer',
      );
      ls.forEach((line, j) => {
        this.draw(
          'footer',
          page,
          line,
          this.left,
          MARGIN_BOTTOM - 28 - j * size * LEADING,
          size,
          false,
          true,
        );
      });
    });
  }

  get current(): PDFPage {
    return this.page;
  }
}
