/** Business ID (Y-tunnus) NNNNNNN-T with its modulo-11 check digit. */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2] as const;
const SHAPE = /^(\d{7})-(\d)$/;

/** The check digit for seven digits, or undefined when no valid ID exists for them (r = 1). */
export function businessIdCheckDigit(base: string): number | undefined {
  if (!/^\d{7}$/.test(base)) return undefined;
  let s = 0;
  for (let i = 0; i < 7; i++) s += Number(base[i]) * (WEIGHTS[i] ?? 0);
  const r = s % 11;
  if (r === 0) return 0;
  if (r === 1) return undefined;
  return 11 - r;
}

export function isValidBusinessId(id: unknown): boolean {
  if (typeof id !== 'string') return false;
  const m = SHAPE.exec(id);
  if (!m) return false;
  const check = businessIdCheckDigit(m[1] ?? '');
  return check !== undefined && check === Number(m[2]);
}
