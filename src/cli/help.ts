/**
 * `--help` in the user's language. oclif renders help from each command's own (English) texts;
 * this class swaps in the texts of templates/messages/<lang>/help.json, keyed by command id
 * and flag or argument name (scripts/gen-help.mjs writes the English catalogue from the
 * commands, so a new flag without its fi and sv text fails the catalogue test).
 */
import { type Command, CommandHelp, Help, type Interfaces } from '@oclif/core';
import { configuredLanguage } from '../config/store.js';
import { hasKey, isLang, type Lang, langFromArgv, resolveLang, t } from '../i18n/index.js';

const text = (key: string, lang: Lang, fallback: string): string =>
  hasKey(`help.${key}`) ? t(`help.${key}`, lang) : fallback;

const header = (h: string, lang: Lang): string => text(`header.${h}`, lang, h);

/** oclif's own marks beside a flag, which it writes in English whatever the help's language. */
function meta(right: string, lang: Lang): string {
  const m = (k: string) => text(`meta.${k}`, lang, k);
  return right
    .replace('(required)', `(${m('required')})`)
    .replace('[default: ', `[${m('default')}: `)
    .replace(/(\[|, )env: /, (_, pre: string) => `${pre}${m('env')}: `)
    .replace('<options: ', `<${m('options')}: `);
}

/** The command with its summary, description, flags and arguments in `lang`. */
function localise(cmd: Command.Loadable, lang: Lang): Command.Loadable {
  const id = cmd.id.replaceAll(' ', ':');
  const flags: Command.Loadable['flags'] = {};
  for (const [name, f] of Object.entries(cmd.flags)) {
    const own = `${id}.flag.${name}`;
    const key = hasKey(`help.${own}`) ? own : `flag.${name}`;
    flags[name] = f.summary
      ? { ...f, summary: text(key, lang, f.summary) }
      : { ...f, description: f.description && text(key, lang, f.description) };
  }
  const args: Command.Loadable['args'] = {};
  for (const [name, a] of Object.entries(cmd.args)) {
    args[name] = { ...a, description: a.description && text(`${id}.arg.${name}`, lang, a.description) };
  }
  const examples = cmd.examples?.map((e, i) =>
    typeof e === 'string'
      ? text(`${id}.example.${i}`, lang, e)
      : { ...e, command: text(`${id}.example.${i}`, lang, e.command) },
  );
  return {
    ...cmd,
    ...(examples ? { examples } : {}),
    summary: cmd.summary && text(`${id}.summary`, lang, cmd.summary),
    description: cmd.description && text(`${id}.description`, lang, cmd.description),
    flags,
    args,
  };
}

export default class HandoverHelp extends Help {
  private lang: Lang = resolveLang(undefined, configuredLanguage());

  constructor(config: Interfaces.Config, opts: Partial<Interfaces.HelpOptions> = {}) {
    super(config, opts);
    const self = this;
    this.CommandHelpClass = class extends CommandHelp {
      override section(h: string, body: Parameters<CommandHelp['section']>[1]): string {
        return super.section(header(h, self.lang), body);
      }

      override flags(flags: Parameters<CommandHelp['flags']>[0]): [string, string | undefined][] | undefined {
        return super.flags(flags)?.map(([left, right]) => [left, right && meta(right, self.lang)]);
      }

      override args(args: Parameters<CommandHelp['args']>[0]): [string, string | undefined][] | undefined {
        return super.args(args)?.map(([left, right]) => [left, right && meta(right, self.lang)]);
      }
    };
  }

  override async showHelp(argv: string[]): Promise<void> {
    // --lang outranks what the constructor found (HANDOVER_LANG, config, locale).
    const typed = langFromArgv(argv);
    if (isLang(typed)) this.lang = typed;
    return super.showHelp(argv);
  }

  override section(h: string, body: Parameters<Help['section']>[1]): string {
    return super.section(header(h, this.lang), body);
  }

  override formatRoot(): string {
    return [
      this.wrap(text('root', this.lang, this.config.pjson.description ?? '')),
      this.section('VERSION', this.wrap(this.config.userAgent)),
      this.section('USAGE', this.wrap(`$ ${this.config.bin} [COMMAND]`)),
    ].join('\n\n');
  }

  protected override formatCommand(command: Command.Loadable): string {
    return super.formatCommand(localise(command, this.lang));
  }

  protected override summary(c: Command.Loadable): string | undefined {
    return super.summary(localise(c, this.lang));
  }

  protected override formatTopic(topic: Interfaces.Topic): string {
    return super.formatTopic(this.localiseTopic(topic));
  }

  protected override formatTopics(topics: Interfaces.Topic[]): string {
    return super.formatTopics(topics.map((x) => this.localiseTopic(x)));
  }

  private localiseTopic(topic: Interfaces.Topic): Interfaces.Topic {
    const name = topic.name.replaceAll(' ', ':');
    return { ...topic, description: text(`topic.${name}`, this.lang, topic.description ?? '') };
  }
}
