import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { maxBytes, maxSizeFlag } from '../cli/max-size.js';
import {
  checkResponsible,
  type ImportResult,
  importFiles,
  renderFile,
  renderSummary,
} from '../services/import/index.js';

export default class Import extends BaseCommand {
  static override summary =
    'Import handovers, receipts and withdrawal notices: verify, validate, register, and answer a handover with a signed receipt.';
  static override description =
    'A handover (JSON, a cover-letter PDF with the file attached, or a sealed .p7m) is verified against the trust store, validated and checked to be addressed to us; it is registered and a signed receipt (accepted, or rejected with the rule codes) is written. A handover whose signature is intact but whose signer is not yet trusted is registered as awaiting trust, with no receipt: compare the fingerprint shown with the sender, run `trust add`, and import it again. A receipt marks our sent handover acknowledged or rejected; a withdrawal notice marks a received handover withdrawn. Exit 0 when every file was accepted, 1 when any was rejected or awaits trust.';
  static override examples = [
    '<%= config.bin %> import 20260302-6f1c3a52.handover.json --responsible "Maija Mallikas" --responsible-email maija.mallikas@example.fi',
    '<%= config.bin %> import inbox/*.json --out receipts --json',
    '<%= config.bin %> import 20260303-6f1c3a52.receipt.json',
  ];
  static override strict = false;
  static override args = { files: Args.string({ required: true, description: 'Files to import.' }) };
  static override flags = {
    'max-size': maxSizeFlag,
    'dry-run': Flags.boolean({ description: 'Show what would happen; write nothing.' }),
    out: Flags.string({ description: 'Folder for receipts (default: configured output folder, else here).' }),
    force: Flags.boolean({
      description:
        'Accepted for older scripts; no longer needed: each receipt is named from its own id and never replaces another file.',
    }),
    responsible: Flags.string({ description: 'Name of the worker who will be responsible for the youth.' }),
    'responsible-email': Flags.string({
      description: "The responsible worker's e-mail.",
      dependsOn: ['responsible'],
    }),
    'responsible-phone': Flags.string({
      description: "The responsible worker's phone.",
      dependsOn: ['responsible'],
    }),
    'key-alias': Flags.string({ description: 'Signing key for receipts (default: configured alias).' }),
  };

  async run(): Promise<ImportResult> {
    const { argv, flags } = await this.parse(Import);
    const responsible = checkResponsible({
      name: flags.responsible,
      email: flags['responsible-email'],
      phone: flags['responsible-phone'],
    });
    const json = this.jsonEnabled();
    const result = await importFiles({
      pin: this.pin,
      files: argv as string[],
      lang: this.lang,
      maxBytes: maxBytes(flags['max-size']),
      dryRun: flags['dry-run'],
      out: flags.out,
      force: flags.force,
      responsible,
      keyAlias: flags['key-alias'],
      onFile: json ? undefined : (r) => process.stdout.write(renderFile(r, this.lang)),
    });
    if (!json) process.stdout.write(renderSummary(result, this.lang));
    if (result.exit !== 0) {
      if (json) this.logJson(result);
      this.exit(result.exit);
    }
    return result;
  }
}
