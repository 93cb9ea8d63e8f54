/**
 * The interview's questions on a real terminal, with @inquirer/prompts. Prompts are drawn on
 * stderr so that stdout carries only the result (`--json`). Ctrl-C ends the interview with
 * INTERRUPTED and nothing written.
 */
import { styleText } from 'node:util';
import { hasKey, type Lang, t } from '../i18n/index.js';
import type { Ask } from '../interview/ask.js';
import { interrupted } from '../interview/flow.js';

type Prompts = typeof import('@inquirer/prompts');

export interface TerminalOptions {
  /** Language of the key hints and of the yes/no answers. */
  lang?: Lang;
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
  const lang = opts.lang ?? 'en';
  const m = (key: string, vars: Record<string, string> = {}) => t(`interview.${key}`, lang, vars);
  // The prompts' own hints are English; a worker answering in Finnish or Swedish gets them
  // in the same language, and answers yes/no with the initial of their own word.
  const word = (prefix: string, k: string) => (hasKey(`interview.${prefix}${k}`) ? m(`${prefix}${k}`) : k);
  const keysHelpTip = (keys: [string, string][]) =>
    keys.map(([key, action]) => `${word('KEYNAME_', key)} ${word('KEY_', action)}`).join(' • ');
  const theme = { style: { keysHelpTip } };
  // What Enter accepts looks unlike an example in the question ("esim. 1234567-8"): "[Enter: 2.12.2026]".
  const inputTheme = { style: { defaultAnswer: (text: string) => styleText('dim', `[Enter: ${text}]`) } };
  const yes = m('YES');
  const no = m('NO');
  const confirmTheme = { keywords: { yes, no, error: () => m('YES_OR_NO', { yes, no }) } };
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
            theme: inputTheme,
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
            theme,
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
            theme,
          },
          ctx,
        ),
      ),
    confirm: (o) =>
      guard(() =>
        p.confirm(
          {
            message: o.message,
            ...(o.default !== undefined ? { default: o.default } : {}),
            theme: confirmTheme,
          },
          ctx,
        ),
      ),
    search: (o) =>
      guard(() =>
        p.search({ message: o.message, source: async (term) => o.source(term), pageSize: 12, theme }, ctx),
      ),
    say: (text) => {
      output.write(`${text}\n`);
    },
  };
}
