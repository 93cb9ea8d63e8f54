import { Args } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { type CrlInfo, trustAddCrl } from '../../services/trust.js';

export default class TrustAddCrl extends BaseCommand {
  static override summary = 'Keep a certificate revocation list (CRL) in the trust store.';
  static override description =
    'From a file (DER or PEM) or an http(s) URL. A certificate that a current CRL of its issuer lists is refused (SIGNATURE_REVOKED); a CA that publishes CRLs without a current one here gives the warning REVOCATION_UNKNOWN.';
  static override examples = [
    '<%= config.bin %> trust add-crl ca.crl',
    '<%= config.bin %> trust add-crl http://crl.example.fi/ca.crl',
  ];
  static override args = { source: Args.string({ required: true, description: 'CRL file or URL.' }) };

  async run(): Promise<CrlInfo> {
    const { args } = await this.parse(TrustAddCrl);
    const r = await trustAddCrl({ source: args.source });
    if (!this.jsonEnabled())
      this.log(
        this.msg(r.added ? 'trust.crlAdded' : 'trust.crlAlready', {
          issuer: r.issuer,
          nextUpdate: r.nextUpdate ?? '–',
          count: r.revoked,
        }),
      );
    // On stderr with --json too: the result's `stale` says it to a program, this to the person.
    if (r.stale) this.note(this.msg('trust.crlStale', { nextUpdate: r.nextUpdate ?? '–' }));
    return r;
  }
}
