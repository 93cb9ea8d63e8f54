/** bin/run.js on a Node.js line that is not supported: exit 4 with the message in the user's language. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

// The process reports Node 20 before bin/run.js runs, as an old installation would.
const OLD_NODE = 'data:text/javascript,Object.defineProperty(process.versions,"node",{value:"20.19.0"})';

function runOnOldNode(env: Record<string, string>) {
  const clean = { ...process.env, HANDOVER_LANG: '', LC_ALL: '', LANG: '', ...env };
  return spawnSync(process.execPath, ['--import', OLD_NODE, BIN, '--version'], {
    env: clean,
    encoding: 'utf8',
  });
}

describe('bin/run.js on an unsupported Node.js', () => {
  it.each([
    ['fi', { HANDOVER_LANG: 'fi' }],
    ['sv', { LANG: 'sv_FI.UTF-8' }],
    ['en', {}],
  ] as const)('exits 4 and says so in %s', (lang, env) => {
    const r = runOnOldNode(env);
    expect(r.status).toBe(4);
    expect(r.stdout).toBe('');
    const template: string = JSON.parse(
      readFileSync(join(ROOT, 'templates', 'messages', lang, 'errors.json'), 'utf8'),
    ).NODE_UNSUPPORTED;
    expect(r.stderr).toBe(`${template.replace('{version}', process.version)}\n`);
    expect(r.stderr).toContain('scripts/node24.sh');
  });
});
