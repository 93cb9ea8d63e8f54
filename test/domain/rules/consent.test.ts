import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/domain/catalogue.js';
import { runRules } from '../../../src/domain/rules/index.js';
import { example } from './example.js';

const only = (d: unknown, rule: string, ctx = {}) => runRules(d, ctx).filter((f) => f.rule === rule);

describe('CONSENT_INCOMPLETE', () => {
  it('needs givenOn and method for basis consent', () => {
    const d = example();
    delete d.consent.givenOn;
    delete d.consent.method;
    expect(only(d, 'CONSENT_INCOMPLETE')).toEqual([
      { rule: 'CONSENT_INCOMPLETE', severity: 'error', pointer: '/consent', params: { reason: 'givenOn' } },
      { rule: 'CONSENT_INCOMPLETE', severity: 'error', pointer: '/consent', params: { reason: 'method' } },
    ]);
  });

  it('needs givenBy only for a youth under 18 at createdAt', () => {
    const d = example();
    delete d.consent.givenBy;
    expect(only(d, 'CONSENT_INCOMPLETE')).toEqual([]);
    d.youth.birthDate = '2008-11-21';
    delete d.youth.personalIdentityCode;
    expect(only(d, 'CONSENT_INCOMPLETE').map((f) => f.params?.reason)).toEqual(['givenBy']);
    d.youth.birthDate = '2008-11-20'; // turns 18 on the day of createdAt
    expect(only(d, 'CONSENT_INCOMPLETE')).toEqual([]);
  });

  it('needs statutoryReference for basis statutory, and nothing else', () => {
    const d = example();
    d.consent = { basis: 'statutory', recordedBy: 'Sari Esimerkki', scope: d.consent.scope };
    expect(only(d, 'CONSENT_INCOMPLETE').map((f) => f.params?.reason)).toEqual(['statutoryReference']);
    d.consent.statutoryReference = 'LsL 25 d §';
    expect(only(d, 'CONSENT_INCOMPLETE')).toEqual([]);
  });
});

describe('CONSENT_SCOPE', () => {
  it('always requires identity, at /consent/scope', () => {
    const d = example();
    d.consent.scope = d.consent.scope.filter((c: string) => c !== 'identity');
    expect(only(d, 'CONSENT_SCOPE')).toEqual([
      {
        rule: 'CONSENT_SCOPE',
        severity: 'error',
        pointer: '/consent/scope',
        params: { category: 'identity' },
      },
      {
        rule: 'CONSENT_SCOPE',
        severity: 'error',
        pointer: '/youth/personalIdentityCode',
        params: { category: 'identity' },
      },
    ]);
    delete d.youth.personalIdentityCode;
    expect(only(d, 'CONSENT_SCOPE').map((f) => f.pointer)).toEqual(['/consent/scope']);
  });

  it.each([
    ['contact', '/youth/contact'],
    ['entitlement', '/entitlement'],
    ['clientPlan', '/clientPlan'],
    ['services', '/services'],
  ])('data present needs its category: %s', (category, pointer) => {
    const d = example();
    d.consent.scope = d.consent.scope.filter((c: string) => c !== category);
    expect(only(d, 'CONSENT_SCOPE')).toContainEqual(
      expect.objectContaining({ pointer, params: { category } }),
    );
  });

  it('an empty services list needs no "services"', () => {
    const d = example();
    d.services = [];
    d.consent.scope = ['identity', 'contact', 'entitlement', 'clientPlan', 'education', 'finances'];
    expect(only(d, 'CONSENT_SCOPE')).toEqual([]);
  });

  it("needs a tagged goal's tags", () => {
    const d = example();
    d.clientPlan.goals[0].categories = ['health'];
    expect(only(d, 'CONSENT_SCOPE').map((f) => f.pointer)).toEqual(['/clientPlan/goals/0/categories']);
  });

  it("needs a service's own tags and its code's default categories, even untagged", () => {
    const d = example();
    d.consent.scope = d.consent.scope.filter((c: string) => c !== 'education' && c !== 'finances');
    const pointers = only(d, 'CONSENT_SCOPE').map((f) => `${f.pointer} ${f.params?.category}`);
    expect(pointers).toEqual([
      '/clientPlan/goals/1/categories education',
      '/clientPlan/goals/2/categories finances',
      '/services/2/code finances',
      '/services/3/code education',
      '/services/4/code finances',
    ]);
    const e = example();
    e.services[0].categories = ['substanceUse'];
    expect(only(e, 'CONSENT_SCOPE').map((f) => f.pointer)).toEqual(['/services/0/categories']);
  });

  it("uses the organisation's catalogue overrides", () => {
    const d = example();
    const catalogue = loadCatalogue({ 'support-person': { categories: ['health'] } });
    expect(only(d, 'CONSENT_SCOPE', { catalogue }).map((f) => f.pointer)).toEqual(['/services/1/code']);
  });
});
