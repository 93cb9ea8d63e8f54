import { describe, expect, it } from 'vitest';
import type { Draft } from '../../../src/interview/scope.js';
import { services } from '../../../src/interview/sections/services.js';
import { baseDraft, interview } from '../drafts.js';

const draft = (): Draft => ({
  ...baseDraft(),
  type: 'aftercare',
  consent: { basis: 'consent', recordedBy: 'Sari Esimerkki', scope: ['identity', 'entitlement', 'services'] },
  entitlement: {
    basis: 'custody-placement',
    placementEndedOn: '2024-05-01',
    endsOn: '2029-05-01',
    payer: 'recipient',
  },
});

describe('the services section', () => {
  it('takes the aftercare payer from the right, and keeps the reason for a changed classification', async () => {
    const { q, ask } = interview(
      [
        ['Add a service?', [true]],
        ['Add another service?', [true, false]],
        ['Service (only', ['support-person', 'celebration-gifts']],
        ['Classification', ['', 'basic']],
        ['Why basic service', ['The municipality has its own.']],
        ['Who provides it?', ['recipient', 'recipient']],
        ['Who pays?', ['']],
        ['Service starts on', ['', '']],
        ['Description of the service', ['', '']],
      ],
      draft(),
    );
    await services(q);
    expect(ask.said).toContain('Aftercare is paid by the payer of the right: the receiving organisation.');
    expect(ask.asked.filter((x) => x.startsWith('Who pays?'))).toHaveLength(1);
    expect(q.draft.services).toEqual([
      {
        id: 's1',
        code: 'support-person',
        classification: 'aftercare',
        provider: 'recipient',
        payer: 'recipient',
      },
      {
        id: 's2',
        code: 'celebration-gifts',
        classification: 'basic',
        provider: 'recipient',
        payer: 'recipient',
        description: 'The municipality has its own.',
      },
    ]);
  });
});
