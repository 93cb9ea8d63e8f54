import { describe, expect, it } from 'vitest';
import { ownOrganisation } from '../../../src/interview/sections/profile.js';
import { baseDraft, interview, PROFILE } from '../drafts.js';

describe('the own organisation', () => {
  it('a profile saved by `config set` without a contact person asks for one at the start, and offers to save it', async () => {
    const organization = PROFILE.organization;
    const { q } = interview(
      [
        ['Your name', ['Sari Esimerkki']],
        ['Your job title', ['']],
        ['Your e-mail', ['sari.esimerkki@example.fi']],
        ['Your phone', ['']],
        ['Add a backup contact', [false]],
        ['Save these details of your organisation', [true]],
      ],
      { ...baseDraft(), sender: { organization } },
    );
    const saved = await ownOrganisation(q, { organization });
    expect(q.draft.sender).toEqual({
      organization,
      contact: { name: 'Sari Esimerkki', email: 'sari.esimerkki@example.fi' },
    });
    expect(saved).toEqual(q.draft.sender);
  });
});
