/**
 * Reading and checking the audit log's hash chain. Each line names the SHA-256 of the line
 * before it and carries a running sequence number; together they tell an edited line (its
 * successor's `prev` no longer matches, the numbers still run on), a removed one (the numbers
 * jump) and a reordered one (the numbers run backwards) apart, each with its line number.
 *
 * What a chain alone cannot show: a change to, or the removal of, the very last line(s). The
 * result's `head` (hash of the last line) lets an operator anchor the log elsewhere.
 */
import { readFileSync } from 'node:fs';
import { AUDIT_EVENTS, type AuditEntry, GENESIS, lineHash } from './audit-types.js';

export type AuditProblemKind = 'edited' | 'removed' | 'reordered' | 'malformed' | 'unanchored';

export interface AuditProblem {
  /** 1-based line number in the file. For `removed`: the line right after the gap. */
  line: number;
  kind: AuditProblemKind;
  /** For `removed`: how many lines are missing before `line`, judged by the sequence numbers. */
  missing?: number;
  /** The chain, when an office keeps more than one (a worker's log copied by `register migrate`). */
  chain?: string;
}

export interface AuditLogLine {
  line: number;
  entry: AuditEntry;
}

export interface AuditVerification {
  ok: boolean;
  entries: AuditLogLine[];
  problems: AuditProblem[];
  /** SHA-256 of the last line (the chain's head), or the genesis value for an empty log. */
  head: string;
  lines: number;
}

const HEX64 = /^[0-9a-f]{64}$/;

function parseEntry(text: string): AuditEntry | undefined {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const e = v as Record<string, unknown>;
  const ok =
    Number.isSafeInteger(e.seq) &&
    typeof e.time === 'string' &&
    typeof e.prev === 'string' &&
    HEX64.test(e.prev) &&
    typeof e.event === 'string' &&
    (AUDIT_EVENTS as readonly string[]).includes(e.event) &&
    typeof e.outcome === 'string';
  return ok ? (e as unknown as AuditEntry) : undefined;
}

/** Indices (into `seqs`) of one longest strictly increasing subsequence, O(n log n). */
function longestIncreasing(seqs: number[]): Set<number> {
  const tails: number[] = [];
  const parent: number[] = new Array(seqs.length).fill(-1);
  for (let i = 0; i < seqs.length; i++) {
    const s = seqs[i] as number;
    let lo = 0;
    let hi = tails.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((seqs[tails[mid] as number] as number) < s) lo = mid + 1;
      else hi = mid;
    }
    if (lo > 0) parent[i] = tails[lo - 1] as number;
    tails[lo] = i;
  }
  const keep = new Set<number>();
  let k = tails.length > 0 ? (tails[tails.length - 1] as number) : -1;
  while (k >= 0) {
    keep.add(k);
    k = parent[k] as number;
  }
  return keep;
}

/** Checks a log given as text (one JSON entry per line). */
export function verifyAuditText(text: string): AuditVerification {
  const raw = text.split('\n');
  if (raw.length > 0 && raw[raw.length - 1] === '') raw.pop();
  const parsed = raw.map(parseEntry);
  const hashes = raw.map(lineHash);
  const firstLineOfHash = new Map<string, number>();
  hashes.forEach((h, i) => {
    if (!firstLineOfHash.has(h)) firstLineOfHash.set(h, i);
  });

  const problems = new Map<string, AuditProblem>();
  const report = (p: AuditProblem): void => {
    const key = `${p.line}:${p.kind}`;
    if (!problems.has(key)) problems.set(key, p);
  };

  const wellFormed: number[] = [];
  parsed.forEach((e, i) => {
    if (e) wellFormed.push(i);
    else report({ line: i + 1, kind: 'malformed' });
  });
  // The fewest lines that, moved back, restore ascending sequence numbers are the moved ones.
  const inOrder = longestIncreasing(wellFormed.map((i) => (parsed[i] as AuditEntry).seq));
  const reordered = new Set(wellFormed.filter((_, k) => !inOrder.has(k)));

  for (let i = 0; i < raw.length; i++) {
    const e = parsed[i];
    if (!e) continue;
    const expected = i === 0 ? GENESIS : (hashes[i - 1] as string);
    if (e.prev === expected) {
      const before = i > 0 ? parsed[i - 1] : undefined;
      // Chain intact but the number does not follow: this line's own seq was rewritten
      // together with a recomputed chain below it, or it follows a line removed at the end.
      if (before && e.seq !== before.seq + 1 && !reordered.has(i) && !reordered.has(i - 1)) {
        report({ line: i + 1, kind: 'edited' });
      }
      continue;
    }
    if (reordered.has(i)) {
      report({ line: i + 1, kind: 'reordered' });
      continue;
    }
    // Its predecessor exists, only elsewhere: a consequence of a move reported on that line.
    if (e.prev !== GENESIS && firstLineOfHash.has(e.prev)) continue;
    if (e.prev === GENESIS) {
      // The first entry, moved down; any other entry claiming to be first was rewritten.
      if (e.seq !== 1) report({ line: i + 1, kind: 'edited' });
      continue;
    }
    // A malformed predecessor is reported as such; its hash cannot tell more.
    if (i > 0 && !parsed[i - 1]) continue;
    const lastSeq = i > 0 ? (parsed[i - 1] as AuditEntry).seq : 0;
    if (e.seq > lastSeq + 1) report({ line: i + 1, kind: 'removed', missing: e.seq - lastSeq - 1 });
    else report({ line: Math.max(i, 1), kind: 'edited' });
  }

  const list = [...problems.values()].sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));
  // A line found both edited and out of order was edited (its number is what changed).
  const edited = new Set(list.filter((p) => p.kind === 'edited').map((p) => p.line));
  const final = list.filter((p) => !(p.kind === 'reordered' && edited.has(p.line)));
  for (const i of reordered) {
    if (!edited.has(i + 1) && !problems.has(`${i + 1}:reordered`))
      final.push({ line: i + 1, kind: 'reordered' });
  }
  final.sort((a, b) => a.line - b.line || a.kind.localeCompare(b.kind));

  return {
    ok: final.length === 0,
    entries: wellFormed.map((i) => ({ line: i + 1, entry: parsed[i] as AuditEntry })),
    problems: final,
    head: raw.length > 0 ? (hashes[raw.length - 1] as string) : GENESIS,
    lines: raw.length,
  };
}

/**
 * Reads and checks the log at `path`; a missing log is an empty one. With the head the
 * register keeps (SPEC §8), the end of the log is checked too: the entry numbered as the head
 * must be there with the head's hash, else the lines after the last one present were removed
 * (the whole log, when it is missing). Lines appended after the head was recorded are fine.
 */
export function verifyAuditLog(path: string, head?: { hash: string; count: number }): AuditVerification {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') text = '';
    else throw e;
  }
  return verifyAuditChain(text, head);
}

/**
 * verifyAuditText with the end checked against the head the register or the office recorded.
 * `null`: a chain kept in a register, whose head is written with every append, has none: it
 * was deleted (with lines present, that is a problem of its own).
 */
export function verifyAuditChain(
  text: string,
  head?: { hash: string; count: number } | null,
): AuditVerification {
  const v = verifyAuditText(text);
  if (head === null && v.lines > 0)
    return { ...v, ok: false, problems: [...v.problems, { line: v.lines, kind: 'unanchored' }] };
  if (!head || head.count <= 0) return v;
  const at = v.entries.find((x) => x.entry.seq === head.count);
  const lines = text.split('\n');
  if (at && lineHash(lines[at.line - 1] ?? '') === head.hash) return v;
  const lastSeq = v.entries.reduce((m, x) => Math.max(m, x.entry.seq), 0);
  const problem: AuditProblem = at
    ? { line: at.line, kind: 'edited' }
    : { line: v.lines + 1, kind: 'removed', missing: head.count - lastSeq };
  return { ...v, ok: false, problems: [...v.problems, problem] };
}
