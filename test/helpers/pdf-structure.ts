/**
 * Reads a PDF's logical structure with qpdf (`qpdf --json`), independently of the code that
 * wrote it, and checks what a tagged PDF owes a screen reader: every marked-content id in a
 * page's content stream belongs to exactly one structure element and back (the parent tree
 * agrees), every annotation is in the tree, and the catalog carries /MarkInfo, /Lang and a
 * title shown in the window.
 */
import { execFileSync } from 'node:child_process';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Dict = { [k: string]: Json };

export interface StructureReport {
  /** Structure types in tree order (depth first), e.g. ['Document', 'P', 'H1', …]. */
  types: string[];
  /** Problems found; empty for a well-formed tree. */
  problems: string[];
  lang?: string;
  marked: boolean;
  displayDocTitle: boolean;
  /** The Info dictionary's /Title and the XMP's dc:title. */
  infoTitle?: string;
  xmpTitle?: string;
  /** How many marked runs the pages hold, and how many the tree reaches. */
  mcids: number;
  /** For each Table element, in order: how many rows (TR) it has. */
  tableRows: number[];
  /**
   * What a screen reader reads, in structure order: each element that holds text, with its
   * text decoded through the fonts' ToUnicode maps (artifacts are not in it).
   */
  reading: { type: string; text: string }[];
}

/** A font's ToUnicode map: 4-hex glyph code → the text it stands for. */
function toUnicode(cmap: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const e of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g)) {
      const hex = e[2] ?? '';
      m.set((e[1] ?? '').toLowerCase(), Buffer.from(hex, 'hex').swap16().toString('utf16le'));
    }
  return m;
}

const decodeString = (s: Json): string | undefined => {
  if (typeof s !== 'string') return undefined;
  if (s.startsWith('u:')) return s.slice(2);
  if (s.startsWith('b:')) {
    const b = Buffer.from(s.slice(2), 'hex');
    return b[0] === 0xfe && b[1] === 0xff ? b.subarray(2).swap16().toString('utf16le') : b.toString('latin1');
  }
  return s;
};

export function pdfStructure(path: string): StructureReport {
  const out = execFileSync(
    'qpdf',
    ['--json=2', '--json-key=qpdf', '--decode-level=generalized', '--json-stream-data=inline', path],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const objects = (JSON.parse(out) as { qpdf: [unknown, Record<string, Dict>] }).qpdf[1];
  const obj = (ref: Json): Dict | undefined => {
    if (typeof ref !== 'string' || !/^\d+ \d+ R$/.test(ref))
      return typeof ref === 'object' ? (ref as Dict) : undefined;
    const o = objects[`obj:${ref}`];
    return (o?.value as Dict | undefined) ?? ((o?.stream as Dict | undefined)?.dict as Dict | undefined);
  };
  const streamData = (ref: Json): string => {
    const o = objects[`obj:${String(ref)}`];
    const data = (o?.stream as Dict | undefined)?.data;
    return typeof data === 'string' ? Buffer.from(data, 'base64').toString('latin1') : '';
  };
  const problems: string[] = [];
  const trailer = objects.trailer?.value as Dict;
  const root = obj(trailer['/Root']) ?? {};
  const info = obj(trailer['/Info']) ?? {};
  const xmp = streamData(root['/Metadata']);
  const report: StructureReport = {
    types: [],
    problems,
    marked: obj(root['/MarkInfo'])?.['/Marked'] === true,
    displayDocTitle: obj(root['/ViewerPreferences'])?.['/DisplayDocTitle'] === true,
    mcids: 0,
    tableRows: [],
    reading: [],
  };
  const lang = decodeString(root['/Lang']);
  if (lang) report.lang = lang;
  const infoTitle = decodeString(info['/Title']);
  if (infoTitle) report.infoTitle = infoTitle;
  const m = /<dc:title>\s*<rdf:Alt>\s*<rdf:li[^>]*>([^<]*)<\/rdf:li>/.exec(
    Buffer.from(xmp, 'latin1').toString('utf8'),
  );
  if (m?.[1] !== undefined)
    report.xmpTitle = m[1].replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>');

  // Pages in order, with what their content streams mark.
  const pages: string[] = [];
  const walkPages = (ref: Json): void => {
    const node = obj(ref);
    if (!node) return;
    if (node['/Type'] === '/Page') pages.push(String(ref));
    for (const kid of (node['/Kids'] as Json[] | undefined) ?? []) walkPages(kid);
  };
  walkPages(root['/Pages']);
  const inContent = new Map<string, Set<number>>();
  /** The text of each marked run: `page#mcid` → text. */
  const runText = new Map<string, string>();
  const cmaps = new Map<string, Map<string, string>>();
  for (const page of pages) {
    const contents = obj(page)?.['/Contents'];
    const text = (Array.isArray(contents) ? contents : [contents]).map(streamData).join('\n');
    const fonts = obj(obj(obj(page)?.['/Resources'] ?? null)?.['/Font'] ?? null) ?? {};
    let font: Map<string, string> = new Map();
    let mcid: number | undefined;
    for (const t of text.matchAll(
      /\/(\w+)\s*<<([^>]*)>>\s*BDC|\bEMC\b|\/(\S+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g,
    )) {
      if (t[0] === 'EMC') mcid = undefined;
      else if (t[1] !== undefined) {
        const id = /\/MCID\s+(\d+)/.exec(t[2] ?? '')?.[1];
        mcid = id === undefined ? undefined : Number(id);
      } else if (t[3] !== undefined) {
        const ref = String(fonts[`/${t[3]}`]);
        let m = cmaps.get(ref);
        if (!m) {
          m = toUnicode(streamData(obj(ref)?.['/ToUnicode'] ?? null));
          cmaps.set(ref, m);
        }
        font = m;
      } else if (mcid !== undefined) {
        const key = `${page}#${mcid}`;
        const decoded = ((t[4] ?? '').toLowerCase().match(/.{4}/g) ?? []).map((c) => font.get(c) ?? '\ufffd');
        runText.set(key, (runText.get(key) ?? '') + decoded.join(''));
      }
    }
    const ids = new Set<number>();
    for (const mm of text.matchAll(/\/MCID\s+(\d+)/g)) {
      const id = Number(mm[1]);
      if (ids.has(id)) problems.push(`page ${page}: MCID ${id} marked twice`);
      ids.add(id);
    }
    const opens = text.match(/\b(BDC|BMC)\b/g)?.length ?? 0;
    const closes = text.match(/\bEMC\b/g)?.length ?? 0;
    if (opens !== closes) problems.push(`page ${page}: ${opens} marked-content starts, ${closes} ends`);
    inContent.set(page, ids);
    report.mcids += ids.size;
  }

  // The tree: which element owns each (page, MCID), and which annotations it reaches.
  const owner = new Map<string, string>();
  const annotations = new Set<string>();
  const treeRoot = obj(root['/StructTreeRoot']);
  if (!treeRoot) problems.push('no /StructTreeRoot');
  const walk = (ref: Json, parentRef: Json): void => {
    const e = obj(ref);
    if (!e) return;
    if (e['/Type'] !== undefined && e['/Type'] !== '/StructElem')
      problems.push(`${String(ref)} is not a StructElem`);
    if (parentRef !== undefined && e['/P'] !== parentRef)
      problems.push(`${String(ref)}: /P is not its parent`);
    report.types.push(String(e['/S']).slice(1));
    const kids = e['/K'];
    if (e['/S'] === '/Table') {
      const rows = (Array.isArray(kids) ? kids : [kids]).filter((k) => obj(k ?? null)?.['/S'] === '/TR');
      report.tableRows.push(rows.length);
    }
    const own: string[] = [];
    const reading = { type: String(e['/S']).slice(1), text: '' };
    report.reading.push(reading);
    for (const k of Array.isArray(kids) ? kids : kids === undefined ? [] : [kids]) {
      if (typeof k === 'number') {
        const key = `${String(e['/Pg'])}#${k}`;
        if (owner.has(key)) problems.push(`${key} in two elements`);
        owner.set(key, String(ref));
        own.push(runText.get(key) ?? '');
        continue;
      }
      const d = obj(k);
      if (d?.['/Type'] === '/MCR') {
        const key = `${String(d['/Pg'])}#${String(d['/MCID'])}`;
        if (owner.has(key)) problems.push(`${key} in two elements`);
        owner.set(key, String(ref));
        own.push(runText.get(key) ?? '');
      } else if (d?.['/Type'] === '/OBJR') {
        annotations.add(String(d['/Obj']));
      } else walk(k, ref);
    }
    if (own.length > 0) reading.text = own.join(' ');
    else report.reading.splice(report.reading.indexOf(reading), 1);
  };
  const top = treeRoot?.['/K'];
  for (const k of Array.isArray(top) ? top : top === undefined ? [] : [top]) walk(k, root['/StructTreeRoot']);

  // Both directions: every marked run has one element, every element's run is on its page.
  for (const [page, ids] of inContent)
    for (const id of ids)
      if (!owner.has(`${page}#${id}`)) problems.push(`${page}#${id} belongs to no element`);
  for (const key of owner.keys()) {
    const [page, id] = key.split('#');
    if (!inContent.get(page ?? '')?.has(Number(id))) problems.push(`${key} is in the tree but on no page`);
  }

  // The parent tree answers "whose is this MCID?" the same way.
  const nums = obj(treeRoot?.['/ParentTree'])?.['/Nums'] as Json[] | undefined;
  const parentTree = new Map<number, Json>();
  for (let i = 0; nums && i + 1 < nums.length; i += 2) parentTree.set(Number(nums[i]), nums[i + 1] ?? null);
  for (const page of pages) {
    const key = obj(page)?.['/StructParents'];
    const ids = inContent.get(page) ?? new Set();
    if (ids.size === 0) continue;
    if (typeof key !== 'number') {
      problems.push(`${page} has marked content but no /StructParents`);
      continue;
    }
    const arr = obj(parentTree.get(key) ?? null) ?? (parentTree.get(key) as Json);
    for (const id of ids) {
      const entry = Array.isArray(arr) ? arr[id] : undefined;
      if (entry !== owner.get(`${page}#${id}`)) problems.push(`parent tree of ${page}#${id} disagrees`);
    }
    for (const a of (obj(page)?.['/Annots'] as Json[] | undefined) ?? [])
      if (!annotations.has(String(a))) problems.push(`annotation ${String(a)} is not in the structure`);
  }
  return report;
}

/**
 * Glyphs drawn without a Unicode mapping: every 2-byte code shown with Tj under a Type0 font
 * must have an entry in that font's /ToUnicode map, and a non-empty one. Returns
 * "page font code" for each one missing (empty when every glyph maps).
 */
export function unmappedGlyphs(path: string): string[] {
  const out = execFileSync(
    'qpdf',
    ['--json=2', '--json-key=qpdf', '--decode-level=generalized', '--json-stream-data=inline', path],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const objects = (JSON.parse(out) as { qpdf: [unknown, Record<string, Dict>] }).qpdf[1];
  const value = (ref: Json): Dict | undefined => {
    if (typeof ref === 'object' && ref !== null && !Array.isArray(ref)) return ref as Dict;
    const o = objects[`obj:${String(ref)}`];
    return (o?.value as Dict | undefined) ?? ((o?.stream as Dict | undefined)?.dict as Dict | undefined);
  };
  const data = (ref: Json): string => {
    const d = (objects[`obj:${String(ref)}`]?.stream as Dict | undefined)?.data;
    return typeof d === 'string' ? Buffer.from(d, 'base64').toString('latin1') : '';
  };
  const maps = new Map<string, Map<string, string>>();
  const cmapOf = (fontRef: Json): Map<string, string> => {
    const key = String(fontRef);
    let m = maps.get(key);
    if (m) return m;
    m = new Map();
    const cmap = data(value(fontRef)?.['/ToUnicode'] ?? null);
    for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const e of (block[1] ?? '').matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]*)>/g))
        m.set((e[1] ?? '').toLowerCase(), e[2] ?? '');
    maps.set(key, m);
    return m;
  };
  const missing: string[] = [];
  const root = value((objects.trailer?.value as Dict | undefined)?.['/Root'] ?? null) ?? {};
  const pages: Json[] = [];
  const walk = (ref: Json): void => {
    const n = value(ref);
    if (n?.['/Type'] === '/Page') pages.push(ref);
    for (const k of (n?.['/Kids'] as Json[] | undefined) ?? []) walk(k);
  };
  walk(root['/Pages']);
  for (const page of pages) {
    const p = value(page) ?? {};
    const fonts = value(value(p['/Resources'])?.['/Font'] ?? null) ?? {};
    const contents = p['/Contents'];
    const text = (Array.isArray(contents) ? contents : [contents]).map(data).join('\n');
    let font = '';
    for (const m of text.matchAll(/\/(\S+)\s+[\d.]+\s+Tf|<([0-9A-Fa-f]*)>\s*Tj/g)) {
      if (m[1] !== undefined) {
        font = m[1];
        continue;
      }
      const map = cmapOf(fonts[`/${font}`] ?? null);
      for (const code of (m[2] ?? '').toLowerCase().match(/.{4}/g) ?? [])
        if (!map.get(code)) missing.push(`${String(page)} ${font} ${code}`);
    }
  }
  return missing;
}
