import { BaseCommand } from '../../cli/base-command.js';
import { trustRefresh } from '../../services/trust.js';
import { directoryReport } from './import-directory.js';

export default class TrustRefresh extends BaseCommand {
  static override summary =
    'Fetch the partner directory from directory.url, and the CRLs from the distribution points of trusted certificates.';
  static override description =
    "The points are those of the trusted certificates, of this worker's own certificate chains, and of the certificates seen on signatures that chained to the trust store (with a CA as the anchor, its leaves name them); never those of a signer we do not trust. Each point is tried once with a time limit; one that cannot be reached is reported and the others still count. Exit 4 when none could be fetched.";
  static override examples = ['<%= config.bin %> trust refresh'];

  async run(): Promise<Awaited<ReturnType<typeof trustRefresh>>> {
    await this.parse(TrustRefresh);
    const r = await trustRefresh();
    if (!this.jsonEnabled()) {
      if (r.directory)
        for (const line of directoryReport(r.directory, (k, v) => this.msg(k, v))) this.log(line);
      this.log(this.msg('trust.refreshed', { fetched: r.fetched.length, failed: r.failed.length }));
    }
    if (r.failed.length > 0 && r.fetched.length === 0) {
      if (this.jsonEnabled()) this.logJson(r);
      this.exit(4);
    }
    return r;
  }
}
