import { BaseCommand } from '../../cli/base-command.js';
import { trustRefresh } from '../../services/trust.js';

export default class TrustRefresh extends BaseCommand {
  static override summary = 'Fetch the CRLs again from the distribution points of trusted certificates.';
  static override description =
    'Each point is tried once with a time limit; one that cannot be reached is reported and the others still count. Exit 4 when none could be fetched.';
  static override examples = ['<%= config.bin %> trust refresh'];

  async run(): Promise<Awaited<ReturnType<typeof trustRefresh>>> {
    await this.parse(TrustRefresh);
    const r = await trustRefresh();
    if (!this.jsonEnabled())
      this.log(this.msg('trust.refreshed', { fetched: r.fetched.length, failed: r.failed.length }));
    if (r.failed.length > 0 && r.fetched.length === 0) {
      if (this.jsonEnabled()) this.logJson(r);
      this.exit(4);
    }
    return r;
  }
}
