import { describe, expect, it } from 'vitest';
import { loadCatalogue } from '../../../src/domain/catalogue.js';
import { runRules } from '../../../src/domain/rules/index.js';
import { example } from './example.js';

const only = (d: unknown, rule: string, ctx = {}) => runRules(d, ctx).filter((f) => f.rule === rule);

describe('SERVICE_CODE_UNKNOWN', () => {
  it('knows the bundled catalogue plus the organisation additions', () => {
    const d = example();
    d.services[0].code = 'peer-group';
    expect(only(d, 'SERVICE_CODE_UNKNOWN').map((f) => f.pointer)).toEqual(['/services/0/code']);
    const catalogue = loadCatalogue({ 'peer-group': { classification: 'aftercare' } });
    expect(only(d, 'SERVICE_CODE_UNKNOWN', { catalogue })).toEqual([]);
  });
});

describe('SERVICE_PAYER', () => {
  it('rejects an undecided payer unless the service needs agreement', () => {
    const d = example();
    d.services[0].payer = 'undecided';
    expect(only(d, 'SERVICE_PAYER')).toEqual([
      {
        rule: 'SERVICE_PAYER',
        severity: 'error',
        pointer: '/services/0/payer',
        params: { reason: 'undecided' },
      },
    ]);
    d.services[0].classification = 'needs-agreement';
    expect(only(d, 'SERVICE_PAYER')).toEqual([]);
  });

  it('rejects an aftercare service paid by someone other than the payer of the right', () => {
    const d = example();
    d.services[0].payer = 'recipient';
    expect(only(d, 'SERVICE_PAYER')[0]?.params).toEqual({ reason: 'entitlement', payer: 'sender' });
    delete d.entitlement;
    d.consent.scope = d.consent.scope.filter((c: string) => c !== 'entitlement');
    expect(only(d, 'SERVICE_PAYER')).toEqual([]);
  });

  it('lets a basic service be paid by the recipient', () => {
    const d = example();
    expect(d.services[3].classification).toBe('basic');
    expect(only(d, 'SERVICE_PAYER')).toEqual([]);
  });
});

describe('SERVICE_PLAN_BASIS', () => {
  it('warns on an aftercare service without a goal, not on a basic one', () => {
    const d = example();
    delete d.services[0].clientPlanGoal;
    delete d.services[3].clientPlanGoal;
    expect(only(d, 'SERVICE_PLAN_BASIS')).toEqual([
      { rule: 'SERVICE_PLAN_BASIS', severity: 'warning', pointer: '/services/0' },
    ]);
  });
});

describe('SERVICE_GOAL_UNKNOWN', () => {
  it('needs the goal in the client plan', () => {
    const d = example();
    d.services[3].clientPlanGoal = 'G2';
    expect(only(d, 'SERVICE_GOAL_UNKNOWN').map((f) => f.pointer)).toEqual(['/services/3/clientPlanGoal']);
  });

  it('finds no goal at all without a client plan', () => {
    const d = example();
    delete d.clientPlan;
    expect(only(d, 'SERVICE_GOAL_UNKNOWN')).toHaveLength(4);
  });
});

describe('SERVICE_PRICE_MISSING', () => {
  it('needs pricing when one party pays another (purchased counts as another)', () => {
    const d = example();
    delete d.services[0].pricing; // provider recipient, payer sender
    delete d.services[1].pricing; // purchased, payer sender
    expect(only(d, 'SERVICE_PRICE_MISSING').map((f) => f.pointer)).toEqual(['/services/0', '/services/1']);
  });

  it('needs none when the payer provides it or the payer is undecided', () => {
    const d = example();
    expect(d.services[2].pricing).toBeUndefined();
    expect(d.services[4].payer).toBe('undecided');
    expect(only(d, 'SERVICE_PRICE_MISSING')).toEqual([]);
  });
});

describe('SERVICE_AFTER_ENTITLEMENT', () => {
  it('warns on an end after endsOn, or a start after it without an end', () => {
    const d = example();
    d.services[0].period.to = '2029-05-02';
    d.services[1].period = { from: '2029-05-02' };
    expect(only(d, 'SERVICE_AFTER_ENTITLEMENT')).toEqual([
      {
        rule: 'SERVICE_AFTER_ENTITLEMENT',
        severity: 'warning',
        pointer: '/services/0/period/to',
        params: { endsOn: '2029-05-01' },
      },
      {
        rule: 'SERVICE_AFTER_ENTITLEMENT',
        severity: 'warning',
        pointer: '/services/1/period/from',
        params: { endsOn: '2029-05-01' },
      },
    ]);
  });

  it('reads an open-ended period as lasting while the right lasts', () => {
    const d = example();
    d.services[0].period = { from: '2026-12-01' };
    expect(only(d, 'SERVICE_AFTER_ENTITLEMENT')).toEqual([]);
  });
});

describe('DUPLICATE_ID', () => {
  it('reports the later duplicate of a goal id and of a service id', () => {
    const d = example();
    d.clientPlan.goals[2].id = 'g1';
    d.services[4].id = 's2';
    expect(only(d, 'DUPLICATE_ID').map((f) => f.pointer)).toEqual([
      '/clientPlan/goals/2/id',
      '/services/4/id',
    ]);
  });

  it('keeps goal ids and service ids apart', () => {
    const d = example();
    d.services[0].id = 'g1';
    expect(only(d, 'DUPLICATE_ID')).toEqual([]);
  });
});
