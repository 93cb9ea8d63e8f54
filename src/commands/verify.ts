import { Args } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { maxBytes, maxSizeFlag } from '../cli/max-size.js';
import { reasonText, type VerifyFileResult, verifyFile } from '../services/verify.js';

export default class Verify extends BaseCommand {
  static override summary =
    'Verify the signature of a handover file, receipt or withdrawal notice against the trust store.';
  static override description =
    'Exit 0 only when the signature is valid and its signer trusted; exit 1 when it is missing, invalid (the content changed, a disallowed algorithm, a malformed header) or untrusted (intact, but the certificate is not in the trust store, does not chain to one there, or was not valid at the signing time).';
  static override examples = [
    '<%= config.bin %> verify 20260301-1a2b3c4d.handover.json',
    '<%= config.bin %> verify received.json --json',
  ];
  static override args = { file: Args.string({ required: true, description: 'File to verify.' }) };
  static override flags = { 'max-size': maxSizeFlag };

  async run(): Promise<VerifyFileResult> {
    const { args, flags } = await this.parse(Verify);
    const r = await verifyFile({ file: args.file, maxBytes: maxBytes(flags['max-size']) });
    if (this.jsonEnabled()) {
      if (!r.ok) {
        this.logJson(r);
        this.exit(1);
      }
      return r;
    }
    const status = {
      valid: 'statusValid',
      invalid: 'statusInvalid',
      untrusted: 'statusUntrusted',
      missing: 'statusMissing',
    }[r.code === 'SIGNATURE_MISSING' ? 'missing' : r.status];
    const line = r.ok && r.ownKey ? 'statusOwn' : status;
    this.log(this.msg(`signing.${line}`, { file: r.file, reasonText: reasonText(r, this.lang) }));
    if (r.signer) {
      this.log(this.msg('signing.signerLine', { subject: r.signer.subject }));
      this.log(this.msg('signing.fingerprintLine', { fingerprint: r.signer.fingerprint256 }));
      // An unknown signer: compare before trusting (no trust on first use).
      if (r.status === 'untrusted' && r.reason === 'not-trusted')
        this.log(this.msg('signing.compareFingerprint', { fingerprint: r.signer.fingerprint256 }));
    }
    if (r.warnings?.includes('REVOCATION_UNKNOWN')) this.log(this.msg('signing.revocationUnknown'));
    if (r.signedAt) this.log(this.msg('signing.signedAtLine', { signedAt: r.signedAt }));
    if (!r.ok) this.exit(1);
    return r;
  }
}
