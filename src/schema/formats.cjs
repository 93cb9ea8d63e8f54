'use strict';
/**
 * The formats "date" and "date-time" of ajv-formats' full mode, with a fast path: the shapes
 * that documents use (2026-11-20, 2026-11-20T10:00:00+02:00) are checked by character codes,
 * and anything else is asked of ajv-formats itself, so every answer is its answer (a property
 * test holds them equal). Every date field of every file passes here; its regular expressions
 * with capture groups cost more than the rest of a date's checks. CommonJS, because the
 * precompiled validators (dist/schema/standalone/*.cjs) require it by name.
 */
const { fullFormats } = require('ajv-formats/dist/formats');

const slowDate = fullFormats.date;
const slowDateTime = fullFormats['date-time'];
const DAYS = [0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** The number written by `n` ASCII digits from `from`, or -1. */
function digits(s, from, n) {
  let v = 0;
  for (let i = from; i < from + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

/** YYYY-MM-DD at the start of s, a real calendar day. */
function dayAt(s) {
  if (s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return false;
  const y = digits(s, 0, 4);
  const m = digits(s, 5, 2);
  const d = digits(s, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1) return false;
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  return d <= (m === 2 && leap ? 29 : DAYS[m]);
}

function date(s) {
  return (s.length === 10 && dayAt(s)) || slowDate.validate(s);
}

/** YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM) on an ordinary clock. */
function ordinaryDateTime(s) {
  const n = s.length;
  if (n < 20 || s.charCodeAt(10) !== 84 || s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return false;
  if (!dayAt(s)) return false;
  const hh = digits(s, 11, 2);
  const mi = digits(s, 14, 2);
  const ss = digits(s, 17, 2);
  if (hh < 0 || hh > 23 || mi < 0 || mi > 59 || ss < 0 || ss > 59) return false;
  let i = 19;
  if (s.charCodeAt(i) === 46) {
    const from = ++i;
    while (i < n && s.charCodeAt(i) >= 48 && s.charCodeAt(i) <= 57) i++;
    if (i === from) return false;
  }
  const z = s.charCodeAt(i);
  if (z === 90) return i + 1 === n;
  if ((z !== 43 && z !== 45) || i + 6 !== n || s.charCodeAt(i + 3) !== 58) return false;
  const oh = digits(s, i + 1, 2);
  const om = digits(s, i + 4, 2);
  return oh >= 0 && oh <= 23 && om >= 0 && om <= 59;
}

function dateTime(s) {
  return ordinaryDateTime(s) || slowDateTime.validate(s);
}

module.exports = {
  date: { ...slowDate, validate: date },
  'date-time': { ...slowDateTime, validate: dateTime },
  email: fullFormats.email,
  uuid: fullFormats.uuid,
};
