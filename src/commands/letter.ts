import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { maxBytes, maxSizeFlag } from '../cli/max-size.js';
import { languageName } from '../i18n/index.js';
import type { LetterResult } from '../services/letter.js';
import { writeLetter } from '../services/letter.js';

export default class Letter extends BaseCommand {
  static override summary = 'Render and sign the cover letter (PDF/A-3 with the handover file inside).';
  static override description =
    'Writes <yyyymmdd>-<id>.cover-letter.pdf signed with the organisation key, the meeting invitation (.ics) when a meeting is proposed, and with --youth-copy a plain-language copy for the young person.';
  static override examples = [
    '<%= config.bin %> letter 20260302-3f6c2a9e.handover.json',
    '<%= config.bin %> letter 20260302-3f6c2a9e.handover.json --letter-lang sv --youth-copy --out out/',
  ];
  static override args = {
    file: Args.string({ required: true, description: 'The handover file (JSON).' }),
  };
  static override flags = {
    'max-size': maxSizeFlag,
    'letter-lang': Flags.option({
      options: ['fi', 'sv', 'en'] as const,
      description: 'Language of the letter (default: from the recipient municipality).',
    })(),
    out: Flags.string({ description: 'Output folder (default: configured, else beside the handover file).' }),
    force: Flags.boolean({ description: 'Replace existing output files.', default: false }),
    key: Flags.string({ description: 'Alias of the signing key (default: configured, else "default").' }),
    'youth-copy': Flags.boolean({ description: "Also write the young person's copy.", default: false }),
    'youth-lang': Flags.option({
      options: ['fi', 'sv', 'en'] as const,
      description:
        "Language of the young person's copy (default: the youth's own language, else the letter's).",
    })(),
  };

  async run(): Promise<LetterResult> {
    const { args, flags } = await this.parse(Letter);
    const result = await writeLetter({
      pin: this.pin,
      file: args.file,
      maxBytes: maxBytes(flags['max-size']),
      lang: this.lang,
      ...(flags['letter-lang'] ? { letterLang: flags['letter-lang'] } : {}),
      ...(flags.out ? { outDir: flags.out } : {}),
      ...(flags.key ? { keyAlias: flags.key } : {}),
      force: flags.force,
      youthCopy: flags['youth-copy'],
      ...(flags['youth-lang'] ? { youthLang: flags['youth-lang'] } : {}),
    });
    this.log(this.msg('letter.language', { lang: languageName(result.letterLanguage, this.lang) }));
    for (const f of result.files) this.log(this.msg('letter.written', { file: f.path }));
    return result;
  }
}
