#!/usr/bin/env -S node --experimental-strip-types --no-warnings
// Runs the TypeScript sources without a build (development only).
import { execute } from '@oclif/core';

await execute({ development: true, dir: import.meta.url });
