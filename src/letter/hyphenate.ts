/**
 * Where to break a word that is wider than its line or table cell (SPEC §6: hyphenated, never
 * cut silently). Finnish and Swedish both start a syllable at a consonant followed by a vowel
 * ("vas-taan-ot-ta-ja"), so such a point is preferred; a word that already has a dash, slash
 * or similar breaks after it with no hyphen added, so that an address or code keeps its form.
 */

const VOWEL = /[aeiouyäöåéüAEIOUYÄÖÅÉÜ]/;
const LETTER = /\p{L}/u;
const BREAK_AFTER = new Set(['-', '–', '/', '@', '.', '_', ',', ';']);
/** Leave at least this many characters on either side of a hyphen. */
const MIN_PART = 2;

const syllableStart = (w: readonly string[], i: number): boolean =>
  LETTER.test(w[i - 1] ?? '') &&
  LETTER.test(w[i] ?? '') &&
  !VOWEL.test(w[i] ?? '') &&
  VOWEL.test(w[i + 1] ?? '');

/**
 * Splits `word` into a head that fits (`fits` measures the text as drawn, hyphen included) and
 * the rest. Always makes progress: the head has at least one character.
 */
export function breakWord(word: string, fits: (text: string) => boolean): [string, string] {
  const chars = Array.from(word);
  const at = (i: number) => chars.slice(0, i).join('');
  const from = (i: number) => chars.slice(i).join('');
  let best: number | undefined;
  let bestPunct: number | undefined;
  for (let i = chars.length - 1; i >= 1; i--) {
    if (bestPunct === undefined && BREAK_AFTER.has(chars[i - 1] ?? '') && fits(at(i))) bestPunct = i;
    if (
      best === undefined &&
      i >= MIN_PART &&
      chars.length - i >= MIN_PART &&
      syllableStart(chars, i) &&
      fits(`${at(i)}-`)
    )
      best = i;
    if (best !== undefined && bestPunct !== undefined) break;
  }
  // A dash already in the word wins unless it leaves most of the line empty.
  if (bestPunct !== undefined && (best === undefined || bestPunct * 2 >= best))
    return [at(bestPunct), from(bestPunct)];
  if (best !== undefined) return [`${at(best)}-`, from(best)];
  // No syllable point fits (a long code, or a very narrow cell): hyphenate where it fits.
  let cut = chars.length - 1;
  while (cut > 1 && !fits(`${at(cut)}-`)) cut--;
  return [`${at(cut)}-`, from(cut)];
}
