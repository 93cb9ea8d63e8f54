/**
 * The interview's questions on a real terminal, with @inquirer/prompts. Prompts are drawn on
 * stderr so that stdout carries only the result (`--json`). Ctrl-C ends the interview with
 * INTERRUPTED and nothing written.
 */
import type { Ask } from '../interview/ask.js';
import { interrupted } from '../interview/flow.js';

type Prompts = typeof import('@inquirer/prompts');

export interface TerminalOptions {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

const isCancel = (e: unknown): boolean =>
  e instanceof Error && (e.name === 'ExitPromptError' || e.name === 'AbortPromptError');

/** An Ask on the terminal; the prompt library is loaded on first use only. */
export async function terminalAsk(opts: TerminalOptions = {}): Promise<Ask> {
  const p: Prompts = await import('@inquirer/prompts');
  const output = opts.output ?? process.stderr;
  const ctx = { input: opts.input ?? process.stdin, output, clearPromptOnDone: false };
  const guard = async <T>(run: () => Promise<T>): Promise<T> => {
    try {
      return await run();
    } catch (e) {
      if (isCancel(e)) throw interrupted();
      throw e;
    }
  };
  return {
    text: (o) =>
      guard(() =>
        p.input(
          {
            message: o.message,
            ...(o.default !== undefined ? { default: o.default } : {}),
            ...(o.validate ? { validate: o.validate } : {}),
          },
          ctx,
        ),
      ),
    select: (o) =>
      guard(() =>
        p.select(
          {
            message: o.message,
            choices: o.choices,
            ...(o.default !== undefined ? { default: o.default } : {}),
            pageSize: 12,
          },
          ctx,
        ),
      ),
    checkbox: (o) =>
      guard(async () =>
        p.checkbox(
          {
            message: o.message,
            choices: o.choices.map((c) => ({
              value: c.value,
              name: c.name,
              ...(c.checked ? { checked: true } : {}),
              ...(c.disabled ? { disabled: c.disabled } : {}),
            })),
            ...(o.validate
              ? {
                  validate: (items: readonly { value: unknown }[]) =>
                    o.validate!(items.map((i) => i.value) as never),
                }
              : {}),
            pageSize: 12,
          },
          ctx,
        ),
      ),
    confirm: (o) =>
      guard(() =>
        p.confirm({ message: o.message, ...(o.default !== undefined ? { default: o.default } : {}) }, ctx),
      ),
    search: (o) =>
      guard(() =>
        p.search({ message: o.message, source: async (term) => o.source(term), pageSize: 12 }, ctx),
      ),
    say: (text) => {
      output.write(`${text}\n`);
    },
  };
}
