import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { terminalAsk } from '../prompts/inquirer.js';
import { createHandover, type NewResult, readAnswers } from '../services/new.js';

export default class New extends BaseCommand {
  static override summary =
    'Make a handover: a consent-gated interview, then a validated, signed handover file.';
  static override description =
    `The consent gate comes first: without the youth's consent or a statutory basis nothing is written (exit 3). Only data inside the consent scope is asked and written. A summary is shown before anything is written.

--answers takes a draft (a partial handover file) and asks only what is missing. With --no-interactive, when stdin is not a terminal, or when CI is set, nothing is asked: every missing or invalid field is listed by JSON pointer and rule (exit 1).

Exit codes: 0 written · 1 missing or invalid answers · 2 usage · 3 consent gate closed · 4 no signing key or key store · 5 output not written (e.g. the file exists: --force) · 130 interrupted (Ctrl-C or cancelled at the summary; nothing written).`;
  static override examples = [
    '<%= config.bin %> new',
    '<%= config.bin %> new --lang sv --out ~/handovers',
    '<%= config.bin %> new --answers draft.json',
    '<%= config.bin %> new --answers draft.json --no-interactive --json',
  ];
  static override flags = {
    answers: Flags.string({
      description: 'A draft (partial handover, JSON) with answers already known; - reads stdin.',
    }),
    interactive: Flags.boolean({
      default: true,
      allowNo: true,
      description: 'Ask for what is missing (default on a terminal). --no-interactive never prompts.',
    }),
    out: Flags.string({
      description: 'Output folder (default: config defaults.outputFolder, else the current folder).',
    }),
    force: Flags.boolean({ description: 'Replace an existing output file.' }),
    sign: Flags.boolean({ default: true, allowNo: true, description: 'Sign the handover file (default).' }),
    timestamp: Flags.boolean({
      allowNo: true,
      default: true,
      description:
        'Ask the timestamp authority of timestamp.url for an RFC 3161 token (--no-timestamp: sign without).',
    }),
    letter: Flags.boolean({
      default: true,
      allowNo: true,
      description:
        'Also write the signed cover letter (PDF/A-3, file attached) and the meeting .ics (needs signing).',
    }),
    'letter-lang': Flags.option({
      options: ['fi', 'sv', 'en'] as const,
      description: 'Language of the cover letter (default: by the recipient municipality).',
    })(),
    'seal-to': Flags.string({
      description:
        'Also seal every output file for the receiving organisation (trust store name, fingerprint or certificate file): <file>.p7m, safe on any channel.',
    }),
    'youth-copy': Flags.boolean({
      description: 'Also write the plain-language copy for the youth (no prices).',
    }),
    'youth-lang': Flags.option({
      options: ['fi', 'sv', 'en'] as const,
      description: "Language of the youth's copy (default: the youth's own language, else the letter's).",
    })(),
    key: Flags.string({ description: 'Alias of the signing key (default: config defaults.keyAlias).' }),
    store: Flags.option({
      options: ['keychain', 'file'] as const,
      description: 'Key store that holds the key.',
    })(),
    now: Flags.string({
      description: 'Creation time to use (RFC 3339), for reproducible runs; also HANDOVER_NOW.',
      env: 'HANDOVER_NOW',
      helpGroup: 'TESTING',
    }),
  };

  async run(): Promise<NewResult> {
    const { flags } = await this.parse(New);
    const now = flags.now === undefined ? undefined : new Date(flags.now);
    if (now && Number.isNaN(now.getTime()))
      throw new HandoverError('USAGE', EXIT.usage, {
        key: 'interview.BAD_NOW',
        vars: { value: flags.now ?? '' },
      });
    const interactive =
      flags.interactive && Boolean(process.stdin.isTTY) && !process.env.CI && flags.answers !== '-';
    const ask = interactive ? await terminalAsk({ lang: this.lang }) : undefined;
    const r = await createHandover({
      lang: this.lang,
      interactive,
      ...(ask ? { ask } : {}),
      // --no-interactive never prompts, not even for a token's PIN.
      pin: interactive ? this.pin : undefined,
      ...(flags.answers !== undefined ? { answers: readAnswers(flags.answers) } : {}),
      ...(flags.out !== undefined ? { out: flags.out } : {}),
      force: flags.force,
      ...(now ? { now } : {}),
      sign: flags.sign,
      timestamp: flags.timestamp,
      letter: flags.letter,
      youthCopy: flags['youth-copy'],
      ...(flags['youth-lang'] !== undefined ? { youthLang: flags['youth-lang'] } : {}),
      ...(flags['seal-to'] !== undefined ? { sealTo: flags['seal-to'] } : {}),
      ...(flags['letter-lang'] !== undefined ? { letterLang: flags['letter-lang'] } : {}),
      ...(flags.key !== undefined ? { keyAlias: flags.key } : {}),
      ...(flags.store !== undefined ? { keyStore: flags.store } : {}),
    });
    if (!this.jsonEnabled()) {
      for (const f of r.files) this.note(this.msg('interview.WRITTEN', { file: f }));
      for (const w of r.warnings) this.note(`  ${w.rule} ${w.pointer} ${w.message}`);
      if (r.profileSaved) this.note(this.msg('interview.PROFILE_SAVED'));
      // Whose certificate the .p7m files open with: a trust name alone could be anyone's.
      if (r.sealedFor)
        this.note(
          this.msg(r.sealedFor.businessId ? 'seal.sealedFor' : 'seal.sealedFor_noId', {
            recipient: r.sealedFor.organization,
            businessId: r.sealedFor.businessId ?? '',
            fingerprint: r.sealedFor.fingerprint256,
          }),
        );
      this.note(
        this.msg(
          !r.signed
            ? 'interview.NEXT_STEPS_UNSIGNED'
            : r.sealed.length
              ? 'interview.NEXT_STEPS_SEALED'
              : 'interview.NEXT_STEPS',
          { file: r.file },
        ),
      );
    }
    return r;
  }
}
