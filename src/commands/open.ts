import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { maxBytes, maxSizeFlag } from '../cli/max-size.js';
import { type OpenResult, open } from '../services/open.js';

export default class Open extends BaseCommand {
  static override summary = 'Decrypt a .p7m with our key and verify the signed document inside.';
  static override description =
    'The decrypted file is written only when the signature inside verifies against the trust store (the encryption alone does not detect tampering). Exit 1 when the file is not for our key, damaged, altered or not from a trusted sender.';
  static override args = { file: Args.string({ required: true, description: 'The sealed file (.p7m).' }) };
  static override examples = [
    '<%= config.bin %> open 20260301-6f1c2d3e.handover.json.p7m',
    '<%= config.bin %> open letter.pdf.p7m --out inbox/ --key vaasa-2026',
  ];
  static override flags = {
    'max-size': maxSizeFlag,
    out: Flags.string({ description: 'Output file or folder (default: the name without .p7m, beside it).' }),
    key: Flags.string({ description: 'Alias of our key in the key store (default: the configured one).' }),
    force: Flags.boolean({ description: 'Replace an existing output file.' }),
    'allow-unsigned': Flags.boolean({
      description:
        'Also write a file that carries no signature (e.g. a calendar invitation); its integrity is not checked.',
    }),
  };

  async run(): Promise<OpenResult> {
    const { args, flags } = await this.parse(Open);
    const result = await open({
      pin: this.pin,
      file: args.file,
      maxBytes: maxBytes(flags['max-size']),
      out: flags.out,
      alias: flags.key,
      force: flags.force,
      allowUnsigned: flags['allow-unsigned'],
    });
    if (!this.jsonEnabled()) {
      const vars = {
        file: result.input,
        out: result.output,
        kind: result.kind,
        signer: result.signer?.subject ?? '-',
      };
      this.log(this.msg(result.verified ? 'seal.opened' : 'seal.openedUnsigned', vars));
    }
    return result;
  }
}
