/**
 * What every command shares: `--json`, `--lang`, and the rendering of typed errors (a
 * localised message and the exit code of SPEC §3, never a stack trace).
 */
import { Command, Errors, Flags } from '@oclif/core';
import { type Config, configuredLanguage, loadConfig } from '../config/store.js';
import { EXIT, HandoverError, isHandoverError } from '../core/errors.js';
import { type Lang, langFromArgv, resolveLang, t } from '../i18n/index.js';
import { escapeControl, jsonText } from '../io/escape.js';
import { setPassphraseAsker } from '../keystore/index.js';
import type { PinSource } from '../keystore/types.js';
import { keyPassphraseAsker, pkcs11PinAsker } from '../prompts/passphrase.js';
import { loadOffice, shutdownRegisters } from '../register/index.js';
import { usageError } from './usage.js';

export abstract class BaseCommand extends Command {
  static override enableJsonFlag = true;

  static override baseFlags = {
    lang: Flags.option({
      options: ['fi', 'sv', 'en'] as const,
      description:
        'Language of messages (default: HANDOVER_LANG, the configured default, then the system locale).',
      helpGroup: 'GLOBAL',
    })(),
  };

  /**
   * The language of everything this command says, resolved once before it runs (SPEC §3):
   * --lang, HANDOVER_LANG, defaults.language, then the locale. Commands read it, never set it.
   */
  protected lang: Lang = 'en';

  private merged?: Config;

  /** The merged configuration (the worker's and the office's shared profile), read once per command. */
  protected get settings(): Config {
    this.merged ??= loadConfig();
    return this.merged;
  }

  private asker?: { pin: PinSource | undefined };

  /**
   * Where a token's PIN comes from when HANDOVER_PKCS11_PIN is not set: the terminal, asked in
   * this command's language; none without a terminal (then PKCS11_PIN_MISSING, exit 4).
   */
  protected get pin(): PinSource | undefined {
    this.asker ??= { pin: pkcs11PinAsker(this.lang) };
    return this.asker.pin;
  }

  /**
   * Commands that never read the office's shared profile or trust store: they run even when
   * its database is down (`config set register.url` is how a worker fixes a wrong address).
   */
  protected static readonly officeFree: boolean = false;

  public override async init(): Promise<void> {
    this.lang = resolveLang(langFromArgv(this.argv), configuredLanguage());
    // A key file's passphrase may be typed on a terminal instead of set in the environment.
    setPassphraseAsker(keyPassphraseAsker(this.lang));
    await super.init();
    // An office's profile and trust store, read once (a database that is down is reported by
    // the first thing that needs it, not here).
    if (!(this.constructor as typeof BaseCommand).officeFree) await loadOffice();
  }

  /** The office's connections end with the command, whatever its outcome. */
  protected override async finally(err: Error | undefined): Promise<unknown> {
    await shutdownRegisters();
    return super.finally(err);
  }

  protected msg(key: string, vars: Record<string, string | number> = {}): string {
    return t(key, this.lang, vars);
  }

  /**
   * JSON on stdout without oclif's colouriser: its tokenizer overflows the stack on a long
   * string (an 8 MiB member), and JSON.stringify leaves C1 control characters raw, which a
   * terminal may act on (SPEC §10). jsonText escapes them; the JSON stays the same.
   */
  public override logJson(json: unknown): void {
    process.stdout.write(`${jsonText(json, 2)}\n`);
  }

  /**
   * Every line a command prints for people goes through the escaper: a message quotes file
   * names, organisation and person names, which may hold ESC or a bidi override (SPEC §10).
   */
  public override log(message = '', ...args: unknown[]): void {
    super.log(typeof message === 'string' ? escapeControl(message) : message, ...args);
  }

  /** A value from a file or a certificate, safe inside one line of a prompt or a message. */
  protected inline(text: string): string {
    return escapeControl(text, { inline: true });
  }

  /** A line for people on stderr, never on stdout when --json is on. */
  protected note(line: string): void {
    process.stderr.write(`${escapeControl(line)}\n`);
  }

  protected override async catch(
    err: Error & { exitCode?: number; oclif?: { exit?: number } },
  ): Promise<unknown> {
    if (isHandoverError(err)) return this.fail(err);
    // oclif's own parse and usage errors: exit 2 (SPEC §3), whichever parser error it is
    // (some, like an invalid option value, carry no exit code of their own).
    if (err instanceof Errors.ExitError) throw err;
    if (err instanceof Errors.CLIError && ('parse' in err || err.oclif?.exit === EXIT.usage)) {
      const known = Object.keys({ ...this.ctor.baseFlags, ...this.ctor.flags });
      return this.fail(usageError(err, [...known, 'json', 'help']));
    }
    // Anything else is a bug: report it as one, still without personal data or a stack,
    // unless HANDOVER_DEBUG asks for the stack.
    if (process.env.HANDOVER_DEBUG) process.stderr.write(`${err.stack}\n`);
    return this.fail(new HandoverError('INTERNAL', EXIT.invalid, { vars: { name: err.name } }));
  }

  private fail(err: HandoverError): never {
    const message = t(err.key, this.lang, err.vars);
    if (this.jsonEnabled()) {
      this.logJson({ error: { code: err.code, message, exit: err.exit, details: err.details } });
    } else {
      // A message may quote a file name or a document's text: data, never terminal control.
      process.stderr.write(`${escapeControl(`${this.config.bin}: ${err.code}: ${message}`)}\n`);
      // A usage message already names what its details hold, but for a sentence oclif wrote.
      const details = err.code === 'USAGE' && err.key !== 'errors.USAGE_OTHER' ? [] : err.details;
      for (const d of details) {
        const where = d.pointer !== undefined ? `${d.pointer || '/'} ` : '';
        process.stderr.write(
          `${escapeControl(`  ${d.rule ? `${d.rule} ` : ''}${where}${d.message ?? ''}`)}\n`,
        );
      }
      const hint = t(`${err.key}__hint`, this.lang, err.vars);
      if (!hint.endsWith('__hint')) process.stderr.write(`  ${hint}\n`);
      if (err.code === 'USAGE')
        process.stderr.write(
          `  ${t('errors.USAGE_SEE_HELP', this.lang, { command: `${this.config.bin} ${this.id?.replaceAll(':', ' ') ?? ''}`.trim() })}\n`,
        );
    }
    return this.exit(err.exit);
  }
}
