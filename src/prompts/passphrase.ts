/**
 * Where a PKCS#12 passphrase comes from: a named environment variable (scripts), else a
 * hidden prompt on a terminal. Never a prompt without a TTY: that would hang a script.
 */
import { EXIT, HandoverError } from '../core/errors.js';
import { type Lang, t } from '../i18n/index.js';

export const P12_PASSPHRASE_ENV = 'HANDOVER_P12_PASSPHRASE';

export async function p12Passphrase(opts: { envName?: string; lang: Lang }): Promise<string> {
  const name = opts.envName ?? P12_PASSPHRASE_ENV;
  const fromEnv = process.env[name];
  if (fromEnv !== undefined) return fromEnv;
  if (!process.stdin.isTTY || !process.stderr.isTTY || process.env.CI) {
    throw new HandoverError('P12_PASSPHRASE_MISSING', EXIT.usage, { key: 'keys.P12_PASSPHRASE_MISSING' });
  }
  const { password } = await import('@inquirer/prompts');
  return password({ message: t('keys.passphrasePrompt', opts.lang), mask: true }, { output: process.stderr });
}

/**
 * The PIN of a PKCS#11 token, asked (masked) on a terminal when HANDOVER_PKCS11_PIN is not set.
 * Undefined without a terminal: the key store then fails at once, naming the variable.
 */
export function pkcs11PinAsker(lang: Lang): ((token: string) => Promise<string>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY || process.env.CI) return undefined;
  return async (token: string) => {
    const { password } = await import('@inquirer/prompts');
    return password(
      { message: t('keys.pinPrompt', lang, { token }), mask: true },
      { output: process.stderr },
    );
  };
}

/**
 * A new key file's passphrase, asked on a terminal (masked, twice) when HANDOVER_KEY_PASSPHRASE
 * is not set: undefined when the variable is set or there is no terminal (the store then uses
 * the variable, or fails naming it). Two answers that differ are asked again, three times.
 */
export async function newKeyPassphrase(lang: Lang): Promise<string | undefined> {
  const set = process.env.HANDOVER_KEY_PASSPHRASE;
  if ((set !== undefined && set !== '') || !process.stdin.isTTY || !process.stderr.isTTY || process.env.CI)
    return undefined;
  const { password } = await import('@inquirer/prompts');
  for (let i = 0; i < 3; i++) {
    const first = await password(
      {
        message: t('keys.newPassphrasePrompt', lang),
        mask: true,
        validate: (v) => v.length > 0 || t('keys.passphraseEmpty', lang),
      },
      { output: process.stderr },
    );
    const again = await password(
      { message: t('keys.repeatPassphrasePrompt', lang), mask: true },
      { output: process.stderr },
    );
    if (first === again) return first;
    process.stderr.write(`${t('keys.passphrasesDiffer', lang)}\n`);
  }
  throw new HandoverError('KEY_PASSPHRASE_MISMATCH', EXIT.usage, { key: 'keys.KEY_PASSPHRASE_MISMATCH' });
}

/**
 * The key file's passphrase asked (masked) on a terminal by a command that opens the key, when
 * HANDOVER_KEY_PASSPHRASE is not set; undefined without a terminal (the variable is then needed).
 */
export function keyPassphraseAsker(lang: Lang): (() => Promise<string>) | undefined {
  if (!process.stdin.isTTY || !process.stderr.isTTY || process.env.CI) return undefined;
  return async () => {
    const { password } = await import('@inquirer/prompts');
    return password({ message: t('keys.keyPassphrasePrompt', lang), mask: true }, { output: process.stderr });
  };
}
