/**
 * Output formats of `validate`, written as results arrive (nothing is buffered per file):
 * human (grouped by file, coloured on a terminal unless NO_COLOR), json (SPEC §5.5), junit
 * and sarif. The json document lists `files` first and `summary` last, since the summary is
 * known only when the last file is done; the members are those of SPEC §5.5. One module per
 * format beside this one.
 */

import type { Lang } from '../../../i18n/index.js';
import type { FileResult, Summary } from '../index.js';
import { humanReporter } from './human.js';
import { jsonReporter } from './json.js';
import { junitReporter } from './junit.js';
import { sarifReporter } from './sarif.js';

export const FORMATS = ['human', 'json', 'junit', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

export interface Reporter {
  start(): void;
  file(r: FileResult): void;
  end(s: Summary): void;
}

export type Write = (s: string) => void;

/**
 * Collects output into chunks of about 64 KiB before writing: one write per file would be
 * 100,000 system calls for a large batch. `flush()` writes what is left.
 */
export function bufferedWriter(write: Write, limit = 64 * 1024): Write & { flush: () => void } {
  let buf = '';
  const w = ((s: string) => {
    buf += s;
    if (buf.length >= limit) {
      write(buf);
      buf = '';
    }
  }) as Write & { flush: () => void };
  w.flush = () => {
    if (buf) write(buf);
    buf = '';
  };
  return w;
}

export function makeReporter(format: Format, write: Write, lang: Lang, color: boolean): Reporter {
  switch (format) {
    case 'json':
      return jsonReporter(write);
    case 'junit':
      return junitReporter(write, lang);
    case 'sarif':
      return sarifReporter(write);
    default:
      return humanReporter(write, lang, color);
  }
}
