/** The client plan and its goals, which services can point to. */
import type { Category } from '../../schema/types.js';
import type { Interview } from '../base.js';
import { type Draft, TAG_CATEGORIES } from '../scope.js';

function tagChoices(q: Interview): Category[] {
  return TAG_CATEGORIES.filter((c) => q.inScope(c));
}

export async function clientPlan(q: Interview, force = false): Promise<void> {
  if (q.draft.clientPlan && !force) return;
  if (!force && !(await q.ask.confirm({ message: q.m('PLAN_EXISTS'), default: true }))) return;
  const date = (await q.date('PLAN_DATE', {
    ...(q.draft.clientPlan?.date ? { def: q.draft.clientPlan.date } : {}),
    notAfter: q.today,
  }))!;
  const earlier = q.draft.clientPlan;
  const review = await q.date('PLAN_REVIEW', {
    optional: true,
    notBefore: date,
    ...(earlier?.reviewDue ? { def: earlier.reviewDue } : {}),
  });
  const goals: NonNullable<Draft['clientPlan']>['goals'] = [];
  for (let i = 1; i <= 100; i++) {
    // Editing keeps each earlier goal as what Enter accepts; services point to goals by id.
    const before = earlier?.goals[i - 1];
    const text = await q.optional(i === 1 ? 'PLAN_GOAL_FIRST' : 'PLAN_GOAL_NEXT', 'text', before?.text);
    if (!text) break;
    const tags = tagChoices(q);
    const categories = tags.length
      ? await q.ask.checkbox<Category>({
          message: q.m('PLAN_GOAL_TAGS'),
          choices: tags.map((c) => ({
            value: c,
            name: q.m(`CATEGORY__${c}`),
            checked: before?.categories?.includes(c) ?? false,
          })),
        })
      : [];
    goals.push({ id: `g${i}`, text, ...(categories.length ? { categories } : {}) });
  }
  q.draft.clientPlan = { date, ...(review ? { reviewDue: review } : {}), goals };
}
