import { describe, expect, it } from 'vitest';
import { CATEGORIES } from '../../src/domain/catalogue.js';
import { readSchema } from '../../src/schema/files.js';

describe('consent categories', () => {
  it('are the same in the catalogue and in the published schema', () => {
    const schema = readSchema('handover') as { $defs: { Category: { enum: string[] } } };
    expect([...CATEGORIES].sort()).toEqual([...schema.$defs.Category.enum].sort());
  });
});
