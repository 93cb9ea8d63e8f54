/** Free notes for the receiving worker. */
import type { Interview } from '../base.js';

export async function notes(q: Interview, force = false): Promise<void> {
  if (q.draft.notes !== undefined && !force) return;
  const notes = await q.optional('NOTES', 'text', q.draft.notes);
  if (notes) q.draft.notes = notes;
  else delete q.draft.notes;
}
