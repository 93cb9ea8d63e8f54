/** The complete aftercare example as a fresh object, for tests that change one thing in it. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../../helpers/cli.js';

export type Doc = any;

const text = readFileSync(join(ROOT, 'templates', 'examples', 'aftercare.handover.json'), 'utf8');

export const example = (): Doc => JSON.parse(text);

export const codes = (findings: { rule: string }[]): string[] => findings.map((f) => f.rule);
