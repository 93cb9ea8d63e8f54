/**
 * Tagged PDF (SPEC §6, ISO 32000-1 14.7–14.8): a logical structure tree kept beside the
 * drawing, written into the document once at the end. Every run of text is drawn inside a
 * marked-content sequence (`/P <</MCID n>> BDC … EMC`) whose MCID belongs to exactly one
 * structure element; rules, backgrounds and running footers are artifacts, outside the tree.
 * pdf-lib has no API for any of this, so the operators and dictionaries are written here;
 * the flowing layout (`layout.ts`) is the only caller, so every document built with it is
 * tagged without doing anything.
 */
import type { PDFDict, PDFDocument, PDFName, PDFPage, PDFRef } from 'pdf-lib';

type PdfLib = typeof import('pdf-lib');

/** The standard structure types we use (ISO 32000-1, 14.8.4), so no RoleMap is needed. */
export type StructType =
  | 'Document'
  | 'Div'
  | 'H1'
  | 'H2'
  | 'P'
  | 'L'
  | 'LI'
  | 'Lbl'
  | 'LBody'
  | 'Table'
  | 'TR'
  | 'TH'
  | 'TD';

interface MarkedRun {
  page: PDFPage;
  mcid: number;
}

export interface StructNode {
  type: StructType;
  kids: (StructNode | MarkedRun)[];
  /** A header cell's scope: the row it names (label–value rows) or its column (a table's header). */
  scope?: 'Row' | 'Column';
}

/**
 * An inline dictionary as an operator's operand: pdf-lib writes any PDF object there, but its
 * type admits only names, strings, numbers and arrays.
 */
const operand = (d: PDFDict): PDFName => d as unknown as PDFName;

const isNode = (k: StructNode | MarkedRun): k is StructNode => 'type' in k;

export class StructureTree {
  readonly root: StructNode = { type: 'Document', kids: [] };
  private readonly nextMcid = new Map<PDFPage, number>();

  constructor(private readonly lib: PdfLib) {}

  /** A new element as the last child of `parent`. */
  add(parent: StructNode, type: StructType, scope?: StructNode['scope']): StructNode {
    const node: StructNode = { type, kids: [], ...(scope ? { scope } : {}) };
    parent.kids.push(node);
    return node;
  }

  /** Draws content on `page` as one marked-content sequence belonging to `node`. */
  mark(node: StructNode, page: PDFPage, draw: () => void): void {
    const { PDFOperator, PDFOperatorNames: Op, PDFName } = this.lib;
    const mcid = this.nextMcid.get(page) ?? 0;
    this.nextMcid.set(page, mcid + 1);
    const props = page.doc.context.obj({ MCID: mcid });
    page.pushOperators(
      PDFOperator.of(Op.BeginMarkedContentSequence, [PDFName.of(node.type), operand(props)]),
    );
    draw();
    page.pushOperators(PDFOperator.of(Op.EndMarkedContent));
    node.kids.push({ page, mcid });
  }

  /** Draws decoration (a rule, a cell's background, a running footer) that a reader skips. */
  artifact(page: PDFPage, draw: () => void, pagination?: 'Header' | 'Footer'): void {
    const { PDFOperator, PDFOperatorNames: Op, PDFName } = this.lib;
    const props = pagination
      ? page.doc.context.obj({ Type: 'Pagination', Subtype: pagination })
      : page.doc.context.obj({ Type: 'Layout' });
    page.pushOperators(
      PDFOperator.of(Op.BeginMarkedContentSequence, [PDFName.of('Artifact'), operand(props)]),
    );
    draw();
    page.pushOperators(PDFOperator.of(Op.EndMarkedContent));
  }

  /**
   * Writes the tree: the catalog's /StructTreeRoot and /MarkInfo, a /ParentTree that maps
   * each page's MCIDs (and each annotation) back to its element, each page's /StructParents.
   * Annotations already on the pages (the signature's widget) become /Form elements with an
   * object reference, since a tagged document leaves no annotation outside its tree. Call
   * once, after everything is drawn and annotated, before saving.
   */
  write(pdf: PDFDocument): void {
    const { PDFName, PDFArray, PDFDict, PDFNumber } = this.lib;
    const ctx = pdf.context;
    const pages = pdf.getPages();
    const rootRef = ctx.nextRef();
    const docRef = ctx.nextRef();
    const parents = new Map<PDFPage, PDFRef[]>();

    const writeNode = (node: StructNode, ref: PDFRef, parentRef: PDFRef): boolean => {
      const runs = node.kids.filter((k): k is MarkedRun => !isNode(k));
      const pg = runs[0]?.page;
      const kids: unknown[] = [];
      for (const k of node.kids) {
        if (isNode(k)) {
          const childRef = ctx.nextRef();
          if (writeNode(k, childRef, ref)) kids.push(childRef);
          continue;
        }
        const list = parents.get(k.page) ?? [];
        list[k.mcid] = ref;
        parents.set(k.page, list);
        kids.push(k.page === pg ? k.mcid : ctx.obj({ Type: 'MCR', Pg: k.page.ref, MCID: k.mcid }));
      }
      // An element with nothing in it (an empty paragraph) is left out of the tree.
      if (kids.length === 0) return false;
      ctx.assign(
        ref,
        ctx.obj({
          Type: 'StructElem',
          S: node.type,
          P: parentRef,
          ...(pg ? { Pg: pg.ref } : {}),
          K: ctx.obj(kids as never),
          ...(node.scope ? { A: ctx.obj({ O: 'Table', Scope: node.scope }) } : {}),
        }),
      );
      return true;
    };
    writeNode(this.root, docRef, rootRef);

    const nums: unknown[] = [];
    let key = 0;
    for (const page of pages) {
      const list = parents.get(page);
      if (!list) continue;
      page.node.set(PDFName.of('StructParents'), PDFNumber.of(key));
      nums.push(key++, ctx.obj(list as never));
    }
    // Annotations (the signature field's widget) as form elements at the end of the document.
    const docKids = this.annotationElements(pdf, docRef, (annotRef) => {
      nums.push(key, annotRef);
      return key++;
    });
    const docElem = ctx.lookup(docRef, PDFDict);
    const k = docElem.lookup(PDFName.of('K'), PDFArray);
    for (const r of docKids) k.push(r);

    ctx.assign(
      rootRef,
      ctx.obj({
        Type: 'StructTreeRoot',
        K: docRef,
        ParentTree: ctx.register(ctx.obj({ Nums: ctx.obj(nums as never) })),
        ParentTreeNextKey: key,
      }),
    );
    pdf.catalog.set(PDFName.of('StructTreeRoot'), rootRef);
    pdf.catalog.set(PDFName.of('MarkInfo'), ctx.obj({ Marked: true }));
  }

  private annotationElements(
    pdf: PDFDocument,
    docRef: PDFRef,
    parentKey: (elemRef: PDFRef) => number,
  ): PDFRef[] {
    const { PDFName, PDFArray, PDFDict, PDFRef: Ref, PDFNumber } = this.lib;
    const ctx = pdf.context;
    const out: PDFRef[] = [];
    for (const page of pdf.getPages()) {
      const annots = page.node.lookupMaybe(PDFName.of('Annots'), PDFArray);
      if (!annots) continue;
      // Tab order follows the structure (PDF/UA): set wherever a page has annotations.
      page.node.set(PDFName.of('Tabs'), PDFName.of('S'));
      for (let i = 0; i < annots.size(); i++) {
        const annotRef = annots.get(i);
        if (!(annotRef instanceof Ref)) continue;
        const annot = ctx.lookup(annotRef);
        if (!(annot instanceof PDFDict)) continue;
        const elemRef = ctx.nextRef();
        annot.set(PDFName.of('StructParent'), PDFNumber.of(parentKey(elemRef)));
        ctx.assign(
          elemRef,
          ctx.obj({
            Type: 'StructElem',
            S: 'Form',
            P: docRef,
            Pg: page.ref,
            K: ctx.obj({ Type: 'OBJR', Obj: annotRef, Pg: page.ref }),
          }),
        );
        out.push(elemRef);
      }
    }
    return out;
  }
}
