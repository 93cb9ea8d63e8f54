/**
 * Text from a document or a file name is data, never terminal control (SPEC §10): the one
 * function every printer passes what it prints through. A C0 or C1 control character (and
 * DEL) becomes a visible `\u001B`; so do the invisible format characters that change how a
 * line reads without showing themselves: bidirectional embeddings, overrides, isolates and
 * marks (U+202E turns "gpj.exe" into what looks like "exe.jpg"), zero-width spaces and
 * joiners, the word joiner, the byte order mark, and the line and paragraph separators.
 * Line feed and tab stay where a printer's own layout uses them (the end of its output);
 * `inline` escapes them too, for a table cell or a one-line field.
 */
const FORMAT = '\\u061c\\u180e\\u200b-\\u200f\\u2028-\\u202e\\u2060-\\u2064\\u2066-\\u2069\\ufeff';
const CONTROL = new RegExp(`[\\u0000-\\u0008\\u000b-\\u001f\\u007f-\\u009f${FORMAT}]`, 'g');
const CONTROL_INLINE = new RegExp(`[\\u0000-\\u001f\\u007f-\\u009f${FORMAT}]`, 'g');
const RAW_IN_JSON = new RegExp(`[\\u007f-\\u009f${FORMAT}]`, 'g');

const visible = (c: string): string => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

export const escapeControl = (text: string, opts: { inline?: boolean } = {}): string =>
  text.replace(opts.inline ? CONTROL_INLINE : CONTROL, visible);

/**
 * JSON for a terminal: JSON.stringify escapes C0 itself but leaves C1, DEL and the invisible
 * format characters raw, and a terminal may act on them. Inside a JSON string `\u202E` means
 * the same character, so the result is the same JSON; outside strings JSON text has none.
 */
export const jsonText = (value: unknown, indent?: number): string =>
  JSON.stringify(value, null, indent).replace(RAW_IN_JSON, visible);
