import { Flags } from '@oclif/core';
import { BaseCommand } from '../base-command.js';
import { DOCUMENT_KINDS, readSchema } from '../schema/files.js';

export default class Schema extends BaseCommand {
  static override summary =
    'Print the JSON Schema (draft 2020-12) of the handover file, a receipt or a withdrawal notice.';
  static override examples = [
    '<%= config.bin %> schema > handover.schema.json',
    '<%= config.bin %> schema --kind receipt',
  ];
  static override flags = {
    kind: Flags.option({
      options: DOCUMENT_KINDS,
      default: 'handover' as const,
      description: 'Which document.',
    })(),
  };

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(Schema);
    const schema = readSchema(flags.kind);
    if (!this.jsonEnabled()) process.stdout.write(`${JSON.stringify(schema, null, 2)}\n`);
    return schema;
  }
}
