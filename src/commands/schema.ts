import { Flags } from '@oclif/core';
import { BaseCommand } from '../cli/base-command.js';
import { DOCUMENT_KINDS, NEWEST_VERSION, readSchemaText, SCHEMA_VERSIONS } from '../services/schema.js';

export default class Schema extends BaseCommand {
  protected static override readonly officeFree = true;
  static override summary =
    'Print the JSON Schema (draft 2020-12) of the handover file, a receipt or a withdrawal notice.';
  static override examples = [
    '<%= config.bin %> schema > handover.schema.json',
    '<%= config.bin %> schema --kind receipt',
    '<%= config.bin %> schema --version 1.0',
  ];
  static override flags = {
    kind: Flags.option({
      options: DOCUMENT_KINDS,
      default: 'handover' as const,
      description: 'Which document.',
    })(),
    // A string, not an option list: an unknown version gets its own message (SCHEMA_VERSION_UNSUPPORTED).
    version: Flags.string({
      helpValue: SCHEMA_VERSIONS.join('|'),
      default: NEWEST_VERSION,
      description: 'Which format version; new files are written in the newest, older ones are still read.',
    }),
  };

  async run(): Promise<Record<string, unknown>> {
    const { flags } = await this.parse(Schema);
    // The frozen file as published, byte for byte; --json returns it parsed.
    const text = readSchemaText(flags.kind, flags.version);
    if (!this.jsonEnabled()) process.stdout.write(text);
    return JSON.parse(text) as Record<string, unknown>;
  }
}
