/**
 * A scripted terminal for interview tests: each question is answered by the first script
 * entry whose text appears in the question. A question without an entry fails the test, so
 * a question outside the consent scope cannot slip through. Validation runs as on a terminal:
 * a refused answer is recorded and the next scripted answer for that question is tried.
 */
import type { Ask, Choice } from '../../src/interview/ask.js';

type Answer = string | boolean | string[];
/** Each entry: a piece of the question's text, and the answers for its successive askings. */
export type Script = [match: string, answers: Answer[]][];

export class ScriptAsk implements Ask {
  readonly asked: string[] = [];
  readonly refused: { question: string; reason: string }[] = [];
  readonly said: string[] = [];
  /** The choices offered by each select, by question. */
  readonly offered = new Map<string, string[]>();
  /** Every select in order, with its choices and the default (Enter). */
  readonly selects: { message: string; choices: string[]; default: string | undefined }[] = [];
  private readonly queue: [string, Answer[]][];

  constructor(script: Script) {
    this.queue = script.map(([m, a]) => [m, [...a]]);
  }

  private next(message: string): Answer {
    this.asked.push(message);
    const entry = this.queue.find(([m, a]) => message.includes(m) && a.length > 0);
    if (!entry) throw new Error(`unscripted question: ${message}`);
    return entry[1].shift()!;
  }

  async text(o: {
    message: string;
    default?: string;
    validate?: (v: string) => string | true;
  }): Promise<string> {
    for (;;) {
      let v = this.next(o.message) as string;
      if (v === '' && o.default !== undefined) v = o.default;
      const ok = o.validate ? o.validate(v) : true;
      if (ok === true) return v;
      this.refused.push({ question: o.message, reason: ok });
    }
  }

  async select<T>(o: { message: string; choices: Choice<T>[]; default?: T }): Promise<T> {
    this.offered.set(
      o.message,
      o.choices.map((c) => String(c.value)),
    );
    this.selects.push({
      message: o.message,
      choices: o.choices.map((c) => String(c.value)),
      default: o.default === undefined ? undefined : String(o.default),
    });
    const a = this.next(o.message) as string;
    if (a === '') return o.default ?? o.choices[0]!.value;
    const hit = o.choices.find((c) => String(c.value) === a || c.name.includes(a));
    if (!hit) throw new Error(`no choice "${a}" in: ${o.choices.map((c) => c.name).join(' | ')}`);
    return hit.value;
  }

  async checkbox<T>(o: { message: string; choices: Choice<T>[] }): Promise<T[]> {
    const a = this.next(o.message) as unknown as string[];
    return o.choices.filter((c) => a.includes(String(c.value))).map((c) => c.value);
  }

  async confirm(o: { message: string; default?: boolean }): Promise<boolean> {
    const a = this.next(o.message);
    return a === '' ? (o.default ?? false) : Boolean(a);
  }

  async search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }): Promise<T> {
    const term = this.next(o.message) as string;
    const first = o.source(term)[0];
    if (!first) throw new Error(`no search result for ${term}`);
    return first.value;
  }

  say(text: string): void {
    this.said.push(text);
  }
}
