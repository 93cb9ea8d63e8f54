/**
 * oclif's parse errors in the user's language (SPEC §3): the parser builds English sentences
 * and keeps few of their parts, so each kind is recognised by its class name and, where the
 * parts are only in the sentence, by the sentence's fixed English shape. What is not
 * recognised keeps oclif's sentence as a detail, so nothing is lost, only left untranslated.
 */
import { type ErrorDetail, EXIT, HandoverError } from '../core/errors.js';

interface ParseError extends Error {
  flags?: string[];
  args?: { name: string }[] | string[];
}

/** The usage error of an oclif parse error; `known` are the command's flag names, for a suggestion. */
export function usageError(err: ParseError, known: readonly string[]): HandoverError {
  const text = err.message.replace(/\nSee more help with --help$/, '');
  const usage = (key: string, vars: Record<string, string>, details: ErrorDetail[] = []) =>
    new HandoverError('USAGE', EXIT.usage, { key: `errors.${key}`, vars, details, cause: err });
  switch (err.constructor.name) {
    case 'NonExistentFlagsError': {
      const flags = err.flags ?? [];
      const near = flags.map((f) => suggest(f.replace(/^-+/, '').split('=')[0] ?? '', known));
      const details = flags.map((f, i) => ({ rule: 'USAGE', message: near[i] ? `${f} → --${near[i]}` : f }));
      const first = near.find(Boolean);
      return usage(
        first ? 'USAGE_UNKNOWN_FLAG_NEAR' : 'USAGE_UNKNOWN_FLAG',
        { flags: flags.join(', '), ...(first ? { suggestion: `--${first}` } : {}) },
        details,
      );
    }
    case 'RequiredArgsError':
    case 'UnexpectedArgsError': {
      const args = (err.args ?? []).map((a) => (typeof a === 'string' ? a : a.name.toUpperCase())).join(', ');
      const key =
        err.constructor.name === 'RequiredArgsError' ? 'USAGE_MISSING_ARGS' : 'USAGE_UNEXPECTED_ARGS';
      return usage(key, { args }, [{ rule: 'USAGE', message: args }]);
    }
  }
  const option = /^Expected --(\S+)=(.*) to be one of: (.*)$/s.exec(text);
  if (option)
    return usage('USAGE_BAD_OPTION', { flag: option[1]!, value: option[2]!, options: option[3]! }, [
      { rule: 'USAGE', pointer: `--${option[1]}`, message: option[2]! },
    ]);
  const argOption = /^Expected (.*) to be one of: (.*)$/s.exec(text);
  if (argOption)
    return usage('USAGE_BAD_ARG_OPTION', { value: argOption[1]!, options: argOption[2]! }, [
      { rule: 'USAGE', message: argOption[1]! },
    ]);
  const needsValue = /Flag --(\S+) expects a value/.exec(text);
  if (needsValue)
    return usage('USAGE_FLAG_NEEDS_VALUE', { flag: needsValue[1]! }, [
      { rule: 'USAGE', pointer: `--${needsValue[1]}` },
    ]);
  const missing = /Missing required flag (\S+)/.exec(text);
  if (missing)
    return usage('USAGE_MISSING_FLAG', { flag: missing[1]!.replace(/^-*/, '--') }, [
      { rule: 'USAGE', pointer: missing[1]!.replace(/^-*/, '--') },
    ]);
  const exclusive = /--([\w-]+)(?:=\S+)? cannot also be provided when using --([\w-]+)/.exec(text);
  if (exclusive)
    return usage('USAGE_EXCLUSIVE', { a: `--${exclusive[1]}`, b: `--${exclusive[2]}` }, [
      { rule: 'USAGE', pointer: `--${exclusive[1]}` },
      { rule: 'USAGE', pointer: `--${exclusive[2]}` },
    ]);
  // Colour codes of the parser's "dim" would otherwise reach a JSON message.
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI escape sequences
  return usage('USAGE_OTHER', {}, [{ rule: 'USAGE', message: text.replace(/\u001b\[[0-9;]*m/g, '') }]);
}

/** The closest known name within two edits (or a prefix of it), as "did you mean". */
export function suggest(typed: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let score = 3;
  for (const k of known) {
    const d = k.startsWith(typed) && typed.length >= 2 ? 1 : distance(typed, k);
    if (d < score) {
      best = k;
      score = d;
    }
  }
  return best;
}

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}
