import { Args, Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { maxBytes, maxSizeFlag } from '../cli/max-size.js';
import { type SignResult, signFile } from '../services/sign.js';

export default class Sign extends BaseCommand {
  static override summary = 'Sign a handover file, receipt or withdrawal notice made by another system.';
  static override description =
    'Adds the embedded signature (JWS over the RFC 8785 canonical form, with the certificate chain and the signing time). By default the signed document is written beside the input as <name>.signed.json (x.handover.json → x.handover.signed.json); --out chooses the file, --in-place replaces the input atomically. An existing signature is replaced.';
  static override examples = [
    '<%= config.bin %> sign 20260301-1a2b3c4d.handover.json',
    '<%= config.bin %> sign draft.json --out 20260301-1a2b3c4d.handover.json',
    '<%= config.bin %> sign 20260301-1a2b3c4d.handover.json --in-place',
  ];
  static override args = { file: Args.string({ required: true, description: 'JSON document to sign.' }) };
  static override flags = {
    'max-size': maxSizeFlag,
    out: Flags.string({
      char: 'o',
      description: 'Output file (default: <name>.signed.json beside the input).',
      exclusive: ['in-place'],
    }),
    'in-place': Flags.boolean({ description: 'Replace the input file with the signed document.' }),
    force: Flags.boolean({ description: 'Replace an existing output file.' }),
    alias: Flags.string({ description: 'Signing key alias (default: defaults.keyAlias, else "default").' }),
    store: Flags.option({
      options: ['keychain', 'file'] as const,
      description: 'Key store (default: where the key was put).',
    })(),
    timestamp: Flags.boolean({
      allowNo: true,
      default: true,
      description:
        'Ask the timestamp authority of timestamp.url for an RFC 3161 token (--no-timestamp: sign without).',
    }),
    alg: Flags.option({
      options: ['PS256', 'RS256', 'ES256'] as const,
      description: 'Signature algorithm (default PS256 for RSA keys, ES256 for EC keys).',
    })(),
  };

  async run(): Promise<SignResult> {
    const { args, flags } = await this.parse(Sign);
    const r = await signFile({
      pin: this.pin,
      file: args.file,
      maxBytes: maxBytes(flags['max-size']),
      out: flags.out,
      inPlace: flags['in-place'],
      force: flags.force,
      alias: flags.alias,
      store: flags.store,
      alg: flags.alg,
      timestamp: flags.timestamp,
    });
    if (!this.jsonEnabled())
      this.log(this.msg('signing.signed', { file: r.output, signedAt: r.signedAt, alg: r.alg }));
    return r;
  }
}
