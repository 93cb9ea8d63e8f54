import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { maxBytes, maxSizeFlag } from '../cli/max-size.js';
import { loadCatalogue, renderShow, type ShowResult, showDocument } from '../services/show/index.js';

export default class Show extends BaseCommand {
  static override summary = 'Show a handover, receipt or withdrawal notice as a readable summary.';
  static override description =
    'Reads one file (it may be a draft or fail validation) and prints what it holds, with labels, service names and dates in the chosen language. A cover-letter PDF shows the handover attached to it, and a sealed .p7m is opened with our key first. With --json, the summary as an object.';
  static override examples = [
    '<%= config.bin %> show 20261120-3f6c2a1e.handover.json',
    '<%= config.bin %> show 20261120-3f6c2a1e.letter.pdf --lang sv',
    '<%= config.bin %> show 20261120-3f6c2a1e.handover.json --json',
  ];
  static override args = {
    file: Args.string({
      required: true,
      description: 'A handover (JSON, cover-letter PDF or sealed .p7m), receipt or withdrawal file.',
    }),
  };

  static override flags = {
    'max-size': maxSizeFlag,
    key: Flags.string({ description: 'Alias of our key in the key store (default: the configured one).' }),
  };

  async run(): Promise<ShowResult> {
    const { args, flags } = await this.parse(Show);
    const lang = this.lang;
    const result = await showDocument({
      file: args.file,
      lang,
      catalogue: loadCatalogue(this.settings.services),
      maxBytes: maxBytes(flags['max-size']),
      ...(flags.key ? { keyAlias: flags.key } : {}),
      ...(this.pin ? { pin: this.pin } : {}),
      logUse: true,
    });
    if (!this.jsonEnabled()) process.stdout.write(renderShow(result, lang));
    return result;
  }
}
