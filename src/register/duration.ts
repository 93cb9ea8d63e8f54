/** Durations for `register pending --older-than`: a whole number of hours, days or weeks. */

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** Milliseconds of `14d`, `2w` or `36h`; undefined for anything else (negative,
 * fractional, other units). `0d` is allowed: every handover still without a receipt. */
export function parseDuration(text: string): number | undefined {
  const m = /^\s*(\d{1,6})\s*([hdw])\s*$/i.exec(text);
  if (!m) return undefined;
  const n = Number(m[1]);
  return n * UNIT_MS[m[2]!.toLowerCase() as keyof typeof UNIT_MS];
}
