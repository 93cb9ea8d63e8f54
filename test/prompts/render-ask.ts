/**
 * An Ask whose every question is a real @inquirer/prompts prompt rendered by
 * @inquirer/testing: the interview runs against the prompts a worker sees, keystroke by
 * keystroke, and the screens are kept for assertions.
 */
import { checkbox, confirm, input, search, select } from '@inquirer/prompts';
import { render } from '@inquirer/testing';
import type { Ask, Choice } from '../../src/interview/ask.js';

type Events = Awaited<ReturnType<typeof render>>['events'];
/** Keystrokes for one question: text is typed, other entries are key names. */
export type Keys = (string | { key: string })[];

export class RenderAsk implements Ask {
  readonly screens: string[] = [];
  readonly said: string[] = [];

  constructor(private readonly script: [match: string, keys: Keys[]][]) {}

  private keysFor(message: string): Keys {
    const entry = this.script.find(([m, k]) => message.includes(m) && k.length > 0);
    if (!entry) throw new Error(`unscripted question: ${message}`);
    return entry[1].shift()!;
  }

  private async drive<T>(
    message: string,
    r: Awaited<ReturnType<typeof render>> & { answer: Promise<T> },
  ): Promise<T> {
    let done = false;
    // Handled before anything can throw: a prompt left open by an unscripted question is
    // force-closed when the test process exits, and its rejection must not surface then.
    r.answer.then(
      () => {
        done = true;
      },
      () => {
        done = true;
      },
    );
    const keys = this.keysFor(message);
    for (const k of keys) {
      press(r.events, k);
      // Let asynchronous sources, validation and the re-render settle before the next key.
      await new Promise((res) => setTimeout(res, 10));
      if (typeof k !== 'string' && k.key === 'enter') this.screens.push(r.getScreen());
      if (done) break;
    }
    if (!done) throw new Error(`no answer after the scripted keys:\n${r.getScreen()}`);
    return r.answer;
  }

  async text(o: { message: string; default?: string; validate?: (v: string) => string | true }) {
    return this.drive(
      o.message,
      await render(input, { message: o.message, default: o.default, validate: o.validate }),
    );
  }
  async select<T>(o: { message: string; choices: Choice<T>[]; default?: T }) {
    return this.drive(
      o.message,
      await render(select<T>, { message: o.message, choices: o.choices, default: o.default }),
    );
  }
  async checkbox<T>(o: { message: string; choices: (Choice<T> & { checked?: boolean })[] }) {
    return this.drive(o.message, await render(checkbox<T>, { message: o.message, choices: o.choices }));
  }
  async confirm(o: { message: string; default?: boolean }) {
    return this.drive(o.message, await render(confirm, { message: o.message, default: o.default }));
  }
  async search<T>(o: { message: string; source: (term: string | undefined) => Choice<T>[] }) {
    return this.drive(
      o.message,
      await render(search<T>, { message: o.message, source: async (t) => o.source(t) }),
    );
  }
  say(text: string): void {
    this.said.push(text);
  }
}

function press(events: Events, k: string | { key: string }): void {
  if (typeof k === 'string') events.type(k);
  else if (k.key === 'ctrl+c') events.keypress({ name: 'c', ctrl: true });
  else events.keypress(k.key);
}

export const ENTER = { key: 'enter' };
export const DOWN = { key: 'down' };
export const SPACE = { key: 'space' };
export const BACKSPACE = { key: 'backspace' };
