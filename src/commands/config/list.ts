import { BaseCommand } from '../../cli/base-command.js';
import { type ConfigListResult, configList } from '../../services/config.js';

export default class ConfigList extends BaseCommand {
  static override summary = 'List the organisation profile and defaults.';
  static override examples = ['<%= config.bin %> config list', '<%= config.bin %> config list --json'];

  async run(): Promise<ConfigListResult> {
    await this.parse(ConfigList);
    const r = configList(this.lang);
    if (!this.jsonEnabled()) {
      if (r.office) this.note(this.msg('config.officeUnreachable', { reason: r.office.error.message }));
      const entries = Object.entries(r.values);
      if (entries.length === 0) this.note(this.msg('config.LIST_EMPTY', { path: r.path }));
      for (const [k, v] of entries) this.log(`${k}=${v}`);
    }
    return r;
  }
}
