// Regenerates the generated parts of README.md: the rule table (from the rule registry and
// the English message catalogue) and the command reference (oclif readme, from the built
// commands). `--check` fails when README.md is not current (used by `npm test`).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const check = process.argv.includes('--check');
const { RULES } = await import('../dist/domain/rules/registry.js');
const messages = JSON.parse(readFileSync('templates/messages/en/rules.json', 'utf8'));
const describe = (code) => {
  const m = messages[code] ?? '';
  return m.replace(/\{\w+\}/g, '…').replace(/\|/g, '\\|');
};
const rows = Object.entries(RULES).map(([code, r]) => `| \`${code}\` | ${r.severity} | ${describe(code)} |`);
const table = ['| code | severity | meaning |', '|---|---|---|', ...rows].join('\n');

const tmp = mkdtempSync(join(tmpdir(), 'handover-readme-'));
const target = join(tmp, 'README.md');
copyFileSync('README.md', target);
let text = readFileSync(target, 'utf8');
text = text.replace(/<!-- rules -->[\s\S]*?(<!-- rulesstop -->|$)/, (m, stop) =>
  stop ? `<!-- rules -->\n${table}\n<!-- rulesstop -->` : m,
);
writeFileSync(target, text);
execFileSync(
  process.execPath,
  ['node_modules/oclif/bin/run.js', 'readme', '--no-aliases', '--readme-path', target],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
    // The README's reference is English whatever the developer's own language (the help class
    // follows HANDOVER_LANG and the locale).
    env: { ...process.env, HANDOVER_LANG: 'en' },
  },
);
const generated = readFileSync(target, 'utf8');
if (check) {
  if (generated !== readFileSync('README.md', 'utf8')) {
    console.error('README.md is out of date: run `npm run readme` and commit it.');
    process.exit(1);
  }
} else writeFileSync('README.md', generated);
