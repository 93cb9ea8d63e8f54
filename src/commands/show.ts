import { Args } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { maxBytes, maxSizeFlag } from '../cli/max-size.js';
import { loadCatalogue, renderShow, type ShowResult, showDocument } from '../services/show/index.js';
import { logShown } from '../services/show/log.js';

export default class Show extends BaseCommand {
  static override summary = 'Show a handover, receipt or withdrawal notice as a readable summary.';
  static override description =
    'Reads one file (it may be a draft or fail validation) and prints what it holds, with labels, service names and dates in the chosen language. With --json, the summary as an object.';
  static override examples = [
    '<%= config.bin %> show 20261120-3f6c2a1e.handover.json',
    '<%= config.bin %> show received.receipt.json --lang sv',
    '<%= config.bin %> show 20261120-3f6c2a1e.handover.json --json',
  ];
  static override args = {
    file: Args.string({ required: true, description: 'A handover, receipt or withdrawal JSON file.' }),
  };

  static override flags = { 'max-size': maxSizeFlag };

  async run(): Promise<ShowResult> {
    const { args, flags } = await this.parse(Show);
    const lang = this.lang;
    const result = showDocument({
      file: args.file,
      lang,
      catalogue: loadCatalogue(this.settings.services),
      maxBytes: maxBytes(flags['max-size']),
    });
    if (!this.jsonEnabled()) process.stdout.write(renderShow(result, lang));
    await logShown(args.file);
    return result;
  }
}
