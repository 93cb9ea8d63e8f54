import { Flags } from '@oclif/core';
import { BaseCommand } from '../../cli/base-command.js';
import { newKeyPassphrase } from '../../prompts/passphrase.js';
import { initKey, type KeyResult } from '../../services/keys.js';

export default class KeysInit extends BaseCommand {
  static override summary =
    'Generate an RSA-3072 signing key and a self-signed certificate for the organisation.';
  static override description =
    'The certificate carries organization.name and organization.businessId from the configuration. The private key goes into the OS keychain (default) or, with --store file, into an encrypted PKCS#8 file whose passphrase is read from HANDOVER_KEY_PASSPHRASE, or asked twice on a terminal when it is not set. For production, import your organisation certificate from a CA with `keys import`.';
  static override examples = [
    '<%= config.bin %> keys init',
    'HANDOVER_KEY_PASSPHRASE=… <%= config.bin %> keys init --alias server --store file',
  ];
  static override flags = {
    alias: Flags.string({ description: 'Name of the key (default: defaults.keyAlias, else "default").' }),
    store: Flags.option({
      options: ['keychain', 'file'] as const,
      description: 'Where the private key is kept (default: defaults.keyStore, else keychain).',
    })(),
    force: Flags.boolean({ description: 'Replace an existing key with the same alias.' }),
  };

  async run(): Promise<KeyResult> {
    const { flags } = await this.parse(KeysInit);
    const config = this.settings;
    const store = flags.store ?? config.defaults?.keyStore;
    // The file store's passphrase is typed on a terminal when the variable is not set; not
    // asked when the key cannot be made anyway (no organisation in the profile).
    const passphrase =
      store === 'file' && config.organization?.name && config.organization.businessId
        ? await newKeyPassphrase(this.lang)
        : undefined;
    const r = await initKey({
      alias: flags.alias,
      store: flags.store,
      force: flags.force,
      ...(passphrase ? { passphrase } : {}),
    });
    if (!this.jsonEnabled()) {
      this.log(
        this.msg('keys.created', {
          alias: r.alias,
          store: this.msg(`keys.store_${r.store}`),
          notAfter: r.certificate.notAfter.slice(0, 10),
        }),
      );
      this.log(this.msg('keys.subjectLine', { subject: r.certificate.subject }));
      this.log(this.msg('keys.fingerprintLine', { fingerprint: r.certificate.fingerprint256 }));
      this.note(this.msg('keys.shareHint', { alias: r.alias }));
    }
    return r;
  }
}
