/**
 * What the interview needs from a terminal, without naming a prompt library: the questions
 * are plain logic over this interface, src/prompts/ implements it with @inquirer/prompts, and
 * tests drive it with scripted answers or the real prompts under @inquirer/testing.
 */
export interface Choice<T> {
  value: T;
  name: string;
  description?: string;
}

export interface Ask {
  /** Free text; `validate` returns true or the reason, and the question is asked again. */
  text(o: { message: string; default?: string; validate?: (v: string) => string | true }): Promise<string>;
  select<T>(o: { message: string; choices: Choice<T>[]; default?: T }): Promise<T>;
  checkbox<T>(o: {
    message: string;
    choices: (Choice<T> & { checked?: boolean; disabled?: string })[];
    validate?: (v: readonly T[]) => string | true;
  }): Promise<T[]>;
  confirm(o: { message: string; default?: boolean }): Promise<boolean>;
  /** Type to narrow the choices (autocomplete). */
  search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }): Promise<T>;
  /** A line of information for the worker (never on stdout). */
  say(text: string): void;
}
