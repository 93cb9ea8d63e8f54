/**
 * Text from a document is data, never terminal control (SPEC §10): the one function every
 * printer passes what it prints through. A C0 or C1 control character (and DEL) becomes a
 * visible `\u001B`. Line feed and tab stay where a printer's own layout uses them (the end
 * of its output); `inline` escapes them too, for a table cell or a one-line field.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding them is the point
const CONTROL_INLINE = /[\u0000-\u001f\u007f-\u009f]/g;
const C1_OR_DEL = /[\u007f-\u009f]/g;

const visible = (c: string): string => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`;

export const escapeControl = (text: string, opts: { inline?: boolean } = {}): string =>
  text.replace(opts.inline ? CONTROL_INLINE : CONTROL, visible);

/**
 * JSON for a terminal: JSON.stringify escapes C0 itself but leaves C1 and DEL raw, and a
 * terminal may act on them. Inside a JSON string `\u009B` means the same character, so the
 * result is the same JSON; outside strings JSON text has no such characters.
 */
export const jsonText = (value: unknown, indent?: number): string =>
  JSON.stringify(value, null, indent).replace(C1_OR_DEL, visible);
