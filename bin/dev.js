#!/usr/bin/env node
// oclif's development mode: no manifest cache and full error output. It loads the TypeScript
// sources when a TypeScript loader (tsx or ts-node) is installed, else the build in dist/.
import { execute } from '@oclif/core';

await execute({ development: true, dir: import.meta.url });
