/** Where the product's own files are, and where the user's state lives (HANDOVER_HOME). */

import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import envPaths from 'env-paths';

// src/core/paths.ts and dist/core/paths.js are both two levels below the package root.
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const packageRoot = (): string => root;
export const templatesDir = (): string => join(root, 'templates');
export const schemasDir = (): string => join(root, 'schemas');

/** HANDOVER_HOME: config, key metadata, trust store, register, audit log. */
export function handoverHome(): string {
  const env = process.env.HANDOVER_HOME;
  if (env && env.trim() !== '') return resolve(env);
  return envPaths('handover', { suffix: '' }).config;
}

export const homePath = (...parts: string[]): string => join(handoverHome(), ...parts);
