import { BaseCommand } from '../../cli/base-command.js';
import { type KeyListEntry, listKeys } from '../../services/keys.js';

export default class KeysList extends BaseCommand {
  static override summary = 'List the signing keys, their store and their certificates.';
  static override examples = ['<%= config.bin %> keys list', '<%= config.bin %> keys list --json'];

  async run(): Promise<{ keys: KeyListEntry[] }> {
    await this.parse(KeysList);
    const keys = await listKeys();
    if (!this.jsonEnabled()) {
      if (keys.length === 0) this.log(this.msg('keys.listEmpty'));
      const state = {
        present: 'keys.stateOk',
        missing: 'keys.stateMissing',
        unknown: 'keys.stateUnknown',
      } as const;
      for (const k of keys) {
        this.log(
          this.msg('keys.listRow', {
            alias: k.alias,
            store: this.msg(`keys.store_${k.store}`),
            state: this.msg(k.store === 'pkcs11' ? 'keys.stateToken' : state[k.key]),
            notBefore: k.certificate?.notBefore.slice(0, 10) ?? '?',
            notAfter: k.certificate?.notAfter.slice(0, 10) ?? '?',
            subject: k.certificate?.subject ?? '',
            // What a partner compares before `trust add` (README, fingerprint exchange).
            fingerprint: k.certificate?.fingerprint256 ?? '?',
          }),
        );
      }
    }
    return { keys };
  }
}
