import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { type SealResult, seal } from '../services/seal.js';

export default class Seal extends BaseCommand {
  static override summary = "Encrypt files for a recipient's certificate (CMS, .p7m).";
  static override description =
    'Each file is encrypted as CMS EnvelopedData (AES-256-CBC, RSA-OAEP key transport) into <file>.p7m, which the recipient opens with `handover open`, `handover import` or `openssl cms -decrypt`.';
  static override strict = false;
  static override args = { files: Args.string({ required: true, description: 'Files to seal.' }) };
  static override examples = [
    '<%= config.bin %> seal 20260301-6f1c2d3e.handover.json 20260301-6f1c2d3e.cover-letter.pdf --to vaasa',
    '<%= config.bin %> seal handover.json --to recipient.pem --out outbox/',
  ];
  static override flags = {
    to: Flags.string({
      required: true,
      description: 'Recipient: a trust store name or fingerprint, or a certificate file (PEM or DER).',
    }),
    out: Flags.string({ description: 'Output folder (default: beside each file).' }),
    force: Flags.boolean({ description: 'Replace existing .p7m files.' }),
  };

  async run(): Promise<SealResult> {
    const { argv, flags } = await this.parse(Seal);
    const result = await seal({
      files: argv as string[],
      to: flags.to,
      outDir: flags.out,
      force: flags.force,
    });
    if (!this.jsonEnabled()) {
      const recipient = result.recipient.name ?? result.recipient.subject;
      for (const f of result.files)
        this.log(this.msg('seal.sealed', { file: f.input, out: f.output, recipient }));
    }
    return result;
  }
}
