import { BaseCommand } from '../../cli/base-command.js';
import { type TrustInfo, trustList } from '../../services/trust.js';

export default class TrustList extends BaseCommand {
  static override summary = 'List trusted certificates: subject, SHA-256 fingerprint, validity.';
  static override examples = ['<%= config.bin %> trust list', '<%= config.bin %> trust list --json'];

  async run(): Promise<{ trusted: TrustInfo[] }> {
    await this.parse(TrustList);
    const trusted = trustList();
    if (!this.jsonEnabled()) {
      if (trusted.length === 0) this.log(this.msg('trust.listEmpty'));
      for (const e of trusted) {
        this.log(
          this.msg('trust.listRow', {
            name: e.name,
            subject: e.subject,
            fingerprint: e.fingerprint256,
            notBefore: e.notBefore.slice(0, 10),
            notAfter: e.notAfter.slice(0, 10),
            expired: e.expired ? this.msg('trust.expiredMark') : '',
          }),
        );
        this.log(
          e.source === 'directory'
            ? this.msg('directory.sourceDirectory', {
                sequence: e.directorySequence ?? 0,
                businessId: e.businessId ?? '–',
              })
            : e.source === 'directory-signer'
              ? this.msg('directory.sourceSigner')
              : this.msg('directory.sourceManual'),
        );
      }
    }
    return { trusted };
  }
}
