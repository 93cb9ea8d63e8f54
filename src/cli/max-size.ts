/**
 * `--max-size`, one definition for every command that reads a document (SPEC §10: validate,
 * import, verify, show, sign, letter, open), in KiB as `validate` always took it.
 */
import { Flags } from '@oclif/core';

export const maxSizeFlag = Flags.integer({
  default: 5120,
  min: 1,
  description:
    'Size limit of one file in KiB (FILE_TOO_LARGE); also caps what a PDF attachment may inflate to.',
});

export const maxBytes = (kib: number): number => kib * 1024;
