import { describe, expect, it } from 'vitest';
import { meeting } from '../../../src/interview/sections/meeting.js';
import { baseDraft, interview } from '../drafts.js';

describe('the meeting section', () => {
  it('takes a Finnish time (9.30), refuses a past day or an impossible time, and puts open services on the agenda', async () => {
    const { q, ask } = interview(
      [
        ['Propose a joint', [true]],
        ['Day of the meeting', ['1.11.2026', '1.12.2026']],
        ['Start time', ['25:00', '9.30']],
        ['Length in minutes', ['45']],
        ['Propose another time', [false]],
        ['How will you meet', ['phone']],
        ['Place or meeting link', ['']],
      ],
      {
        ...baseDraft(),
        services: [
          {
            id: 's1',
            code: 'celebration-gifts',
            classification: 'needs-agreement',
            provider: 'recipient',
            payer: 'undecided',
          },
          {
            id: 's2',
            code: 'support-person',
            classification: 'aftercare',
            provider: 'recipient',
            payer: 'sender',
          },
        ],
      },
    );
    await meeting(q);
    expect(ask.refused.map((r) => r.reason)).toEqual([
      'The date cannot be before 20.11.2026.',
      'Write a time as HH:MM, e.g. 13:30.',
    ]);
    const m = q.draft.meeting!;
    expect(m.slots).toHaveLength(1);
    expect(m.slots[0]!.start).toBe('2026-12-01T09:30:00+02:00');
    expect(m.slots[0]!.end).toBe('2026-12-01T10:15:00+02:00');
    expect(m).toMatchObject({ channel: 'phone', agenda: ['Agree on: celebration gifts'] });
    expect(m.location).toBeUndefined();
  });
});
