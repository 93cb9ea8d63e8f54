import { describe, expect, it } from 'vitest';
import {
  defaultClassification,
  loadCatalogue,
  serviceCategories,
  serviceName,
} from '../../src/domain/catalogue.js';

describe('service catalogue', () => {
  it('seeds the codes of SPEC §5.2 with their default classification', () => {
    const c = loadCatalogue();
    const by = (cl: string) =>
      [...c.values()]
        .filter((e) => e.classification === cl)
        .map((e) => e.code)
        .sort();
    expect(by('aftercare')).toEqual(
      [
        'aftercare-social-work',
        'support-person',
        'instructor',
        'supported-housing',
        'aftercare-financial-support',
        'independence-funds',
      ].sort(),
    );
    expect(by('basic')).toEqual(
      [
        'rehabilitative-work-activity',
        'student-welfare',
        'healthcare',
        'dental-care',
        'maternity-and-child-health',
        'employment-services',
      ].sort(),
    );
    expect(by('needs-agreement')).toEqual(
      [
        'substance-abuse-services',
        'mental-health-services',
        'social-assistance',
        'disability-services',
        'celebration-gifts',
        'other',
      ].sort(),
    );
    for (const e of c.values()) for (const l of ['fi', 'sv', 'en'] as const) expect(e.name[l]).not.toBe('');
  });

  it('classifies independence funds as youth-funds in 1.1 and keeps aftercare for a 1.0 file', () => {
    expect(loadCatalogue().get('independence-funds')).toMatchObject({
      newestClassification: 'youth-funds',
      classification: 'aftercare',
      categories: ['finances'],
    });
    expect(defaultClassification('independence-funds', '1.1')).toBe('youth-funds');
    expect(defaultClassification('independence-funds', '1.0')).toBe('aftercare');
    expect(defaultClassification('support-person', '1.0')).toBe('aftercare');
    expect(defaultClassification('student-welfare', '1.1')).toBe('basic');
    expect(defaultClassification('no-such-code', '1.1')).toBeUndefined();
    const [newest] = [...loadCatalogue().values()].filter((e) => e.newestClassification === 'youth-funds');
    expect(newest?.code).toBe('independence-funds');
  });

  it('names disability services as in act 675/2023', () => {
    expect(serviceName('disability-services', 'fi')).toBe('vammaispalvelut');
    expect(serviceName('disability-services', 'sv')).toBe('funktionshinderservice');
  });

  it("unites a service's own categories with its code defaults", () => {
    expect(serviceCategories({ code: 'student-welfare' })).toEqual(['education']);
    expect(serviceCategories({ code: 'support-person', categories: ['health'] })).toEqual(['health']);
    expect(
      serviceCategories({ code: 'independence-funds', categories: ['finances', 'education'] }).sort(),
    ).toEqual(['education', 'finances']);
    expect(serviceCategories({ code: 'substance-abuse-services' })).toEqual(['substanceUse']);
    expect(serviceCategories({ code: 'unknown-code', categories: 'x' })).toEqual([]);
  });

  it("merges the organisation's additions and overrides", () => {
    const c = loadCatalogue({
      'peer-group': {
        classification: 'aftercare',
        name: { fi: 'vertaisryhmä', sv: 'kamratgrupp', en: 'peer group' },
      },
      'dental-care': { classification: 'needs-agreement' },
      'new-thing': {},
    });
    expect(c.get('peer-group')).toMatchObject({ classification: 'aftercare', local: true, categories: [] });
    expect(c.get('dental-care')).toMatchObject({ classification: 'needs-agreement', categories: ['health'] });
    expect(c.get('new-thing')).toMatchObject({
      classification: 'needs-agreement',
      name: { fi: 'new-thing' },
    });
    expect(serviceName('peer-group', 'sv', c)).toBe('kamratgrupp');
    expect(serviceName('dental-care', 'fi', c)).toBe('suun terveydenhuolto');
    // The bundled catalogue is not changed by an override.
    expect(loadCatalogue().get('dental-care')?.classification).toBe('basic');
  });
});
