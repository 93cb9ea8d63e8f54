/**
 * SPEC §5.5's json document, streamed: `files` first and `summary` last, since the summary is
 * known only when the last file is done.
 */
import { jsonText } from '../../../io/escape.js';
import type { Reporter, Write } from './index.js';

export function jsonReporter(write: Write): Reporter {
  let first = true;
  return {
    start() {
      write('{"files":[');
    },
    file(r) {
      write(
        `${first ? '' : ','}\n${jsonText({ file: r.file, kind: r.kind, valid: r.valid, findings: r.findings })}`,
      );
      first = false;
    },
    end(s) {
      write(`\n],\n"summary":${jsonText(s)}}\n`);
    },
  };
}
