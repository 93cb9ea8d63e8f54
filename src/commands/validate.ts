import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { maxBytes, maxSizeFlag } from '../cli/max-size.js';
import { startProgress } from '../cli/progress.js';
import { EXIT, HandoverError } from '../core/errors.js';
import { type Summary, validateMany } from '../services/validate/index.js';
import { bufferedWriter, FORMATS, makeReporter } from '../services/validate/reporters/index.js';

export default class Validate extends BaseCommand {
  static override summary = 'Validate handover files, receipts and withdrawal notices: schema and rules.';
  static override description =
    `Takes files, folders (walked recursively for *.json) and glob patterns. Each file is checked against the JSON Schema of its kind and the rules of the handover format; every finding has a rule code, a JSON pointer and a line and column.

Exit codes: 0 every file is valid (warnings allowed unless --strict), 1 any file is invalid or unreadable, 2 usage error (e.g. a path that does not exist).`;
  static override examples = [
    '<%= config.bin %> validate 20261120-3f2a9c1e.handover.json',
    '<%= config.bin %> validate inbox/ --format junit > report.xml',
    '<%= config.bin %> validate "archive/**/*.json" --json --strict',
  ];
  static override strict = false;
  static override args = {
    paths: Args.string({
      description: 'Files, folders or glob patterns; - reads one document from standard input.',
      required: true,
    }),
  };
  static override flags = {
    format: Flags.option({
      options: FORMATS,
      default: 'human' as const,
      description: 'Output format (--json is --format json).',
    })(),
    strict: Flags.boolean({ description: 'Warnings make a file invalid too.' }),
    'verify-signatures': Flags.boolean({
      description:
        'Also verify each embedded signature against the trust store (SIGNATURE_MISSING, SIGNATURE_INVALID, SIGNATURE_UNTRUSTED).',
    }),
    'max-size': maxSizeFlag,
  };

  async run(): Promise<Summary> {
    const { argv, flags } = await this.parse(Validate);
    // SPEC §5.5: --json with another format is a usage error, not a silent choice of one.
    const explicit = this.argv.some((a) => a === '--format' || a.startsWith('--format='));
    if (this.jsonEnabled() && explicit && flags.format !== 'json')
      throw new HandoverError('USAGE', EXIT.usage, {
        key: 'validate.JSON_AND_FORMAT',
        vars: { format: flags.format },
        details: [{ rule: 'USAGE', pointer: '--format', message: flags.format }],
      });
    const format = this.jsonEnabled() ? 'json' : flags.format;
    const color = format === 'human' && process.stdout.isTTY === true && !process.env.NO_COLOR;
    const progress = startProgress(this.msg('validate.progress'));
    const sameTerminal = process.stdout.isTTY === true;
    // On a terminal each line shows at once; into a file or pipe, output goes in large chunks.
    const out = sameTerminal
      ? Object.assign(
          (s: string) => {
            progress?.clear();
            process.stdout.write(s);
          },
          { flush: () => {} },
        )
      : bufferedWriter((s) => process.stdout.write(s));
    const reporter = makeReporter(format, out, this.lang, color);
    let started = false;
    const summary = await validateMany(
      {
        paths: argv as string[],
        lang: this.lang,
        strict: flags.strict,
        maxBytes: maxBytes(flags['max-size']),
        verifySignatures: flags['verify-signatures'],
        services: this.settings.services,
        onProgress: progress?.update,
      },
      (r) => {
        if (!started) reporter.start();
        started = true;
        reporter.file(r);
      },
    ).finally(() => progress?.stop());
    if (!started) reporter.start();
    reporter.end(summary);
    out.flush();
    // An empty inbox is not an error for a scheduled job, but a person should hear of it.
    if (summary.files === 0 && !this.jsonEnabled())
      this.note(this.msg('validate.noFiles', { path: (argv as string[]).join(', ') }));
    if (summary.invalid > 0) this.exit(1);
    // The report is already on stdout; oclif must not print the result again under --json.
    return this.jsonEnabled() ? (undefined as unknown as Summary) : summary;
  }
}
