import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { type ExportResult, exportKey } from '../../services/keys.js';

export default class KeysExport extends BaseCommand {
  static override summary = 'Export the certificate (public, PEM) of a signing key for partners.';
  static override description =
    'Partners add it with `handover trust add`. The private key is never exported.';
  static override examples = [
    '<%= config.bin %> keys export default --out our-certificate.pem',
    '<%= config.bin %> keys export default > our-certificate.pem',
  ];
  static override args = {
    alias: Args.string({ description: 'Key alias (default: defaults.keyAlias, else "default").' }),
  };
  static override flags = {
    out: Flags.string({ char: 'o', description: 'Write the PEM to this file instead of stdout.' }),
    chain: Flags.boolean({ description: 'Include the issuing CA certificates.' }),
    force: Flags.boolean({ description: 'Replace an existing output file.' }),
  };

  async run(): Promise<ExportResult> {
    const { args, flags } = await this.parse(KeysExport);
    const r = await exportKey({ alias: args.alias, out: flags.out, force: flags.force, chain: flags.chain });
    if (!this.jsonEnabled()) {
      if (r.file) this.note(this.msg('keys.exported', { alias: r.alias, file: r.file }));
      else process.stdout.write(r.pem);
    }
    return r;
  }
}
