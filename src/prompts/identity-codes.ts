/**
 * The identity codes for `register disclosures`: asked on a terminal (masked, so that they stay
 * out of the scrollback), else read from standard input. Never an argument: that would land in
 * the shell's history.
 */
import { type Lang, t } from '../i18n/index.js';

/** More than any list of codes one youth has had: standard input is not drained past it. */
const MAX_INPUT = 4096;

export async function identityCodesText(lang: Lang): Promise<string> {
  if (process.stdin.isTTY && process.stderr.isTTY && !process.env.CI) {
    const { password } = await import('@inquirer/prompts');
    return password(
      { message: t('register.identityCodesPrompt', lang), mask: true },
      { output: process.stderr },
    );
  }
  let text = '';
  for await (const chunk of process.stdin) {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    if (text.length > MAX_INPUT) {
      process.stdin.destroy();
      break;
    }
  }
  return text.slice(0, MAX_INPUT);
}
