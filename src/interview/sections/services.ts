/**
 * The services, from the catalogue: who provides and who pays, with a price whenever one
 * organisation bills the other, and the worker's reason whenever the catalogue's own
 * classification or payer is overridden.
 */
import type { Handover } from '../../schema/types.js';
import type { Interview } from '../base.js';

type Service = Handover['services'][number];

/** Services from the catalogue, only those whose categories the consent covers. */
export async function services(q: Interview, force = false): Promise<void> {
  if (q.draft.services && q.draft.services.length > 0 && !force) return;
  const services: Service[] = [];
  // Editing from the summary: each earlier service is kept, changed (its answers as defaults) or removed.
  for (const earlier of force ? (q.draft.services ?? []) : []) {
    const what = await q.ask.select<'keep' | 'change' | 'remove'>({
      message: q.m('SERVICE_EDIT', { service: q.catalogue.get(earlier.code)?.name[q.lang] ?? earlier.code }),
      choices: (['keep', 'change', 'remove'] as const).map((v) => ({
        value: v,
        name: q.m(`SERVICE_EDIT__${v}`),
      })),
      default: 'keep',
    });
    if (what === 'keep') services.push({ ...earlier, id: `s${services.length + 1}` });
    if (what === 'change') services.push(await service(q, earlier.code, services.length + 1, earlier));
  }
  const allowed = [...q.catalogue.values()].filter((e) => e.categories.every((c) => q.inScope(c)));
  const lang = q.lang;
  while (
    services.length < 200 &&
    (await q.ask.confirm({
      message: q.m(services.length ? 'SERVICE_ADD_MORE' : 'SERVICE_ADD'),
      default: services.length === 0,
    }))
  ) {
    const code = await q.ask.select<string>({
      message: q.m('SERVICE_CODE'),
      choices: allowed.map((e) => ({
        value: e.code,
        name: `${e.name[lang]} · ${q.m(`CLASS__${e.classification}`)}`,
      })),
    });
    services.push(await service(q, code, services.length + 1));
  }
  q.draft.services = services;
}

async function service(q: Interview, code: string, n: number, before?: Service): Promise<Service> {
  const entry = q.catalogue.get(code)!;
  const reasons: string[] = [];
  const classification = await q.choose(
    'SERVICE_CLASS',
    ['aftercare', 'basic', 'needs-agreement'] as const,
    before?.classification === 'youth-funds'
      ? entry.classification
      : (before?.classification ?? entry.classification),
  );
  if (classification !== entry.classification)
    reasons.push(
      await q.value('SERVICE_CHANGE_REASON', 'line', undefined, {
        what: q.m(`CLASS__${classification}`),
      }),
    );
  const provider = await q.choose(
    'SERVICE_PROVIDER',
    ['recipient', 'sender', 'purchased'] as const,
    before?.provider ?? 'recipient',
  );
  const fixedPayer = classification === 'aftercare' ? q.draft.entitlement?.payer : undefined;
  const defaultPayer =
    fixedPayer ??
    (classification === 'aftercare' ? 'sender' : classification === 'basic' ? 'recipient' : 'undecided');
  let payer: Service['payer'] = defaultPayer;
  if (fixedPayer) q.ask.say(q.m('SERVICE_PAYER_FIXED', { payer: q.m(`SERVICE_PAYER__${fixedPayer}`) }));
  else {
    const payers =
      classification === 'needs-agreement'
        ? (['undecided', 'sender', 'recipient'] as const)
        : (['sender', 'recipient'] as const);
    const earlierPayer =
      before && (payers as readonly string[]).includes(before.payer) ? before.payer : undefined;
    payer = await q.choose(
      'SERVICE_PAYER',
      payers,
      (earlierPayer as (typeof payers)[number]) ?? defaultPayer,
    );
    if (payer !== defaultPayer)
      reasons.push(
        await q.value('SERVICE_CHANGE_REASON', 'line', undefined, {
          what: q.m(`SERVICE_PAYER__${payer}`),
        }),
      );
  }
  const s: Service = { id: `s${n}`, code, classification, provider, payer };
  const billedAcross = payer !== 'undecided' && provider !== payer;
  if (billedAcross) {
    q.ask.say(q.m('SERVICE_PRICE_NEEDED'));
    const p = before?.pricing;
    const unit = await q.choose(
      'SERVICE_UNIT',
      ['hour', 'visit', 'month', 'lump-sum'] as const,
      p?.unit ?? 'hour',
    );
    const price = await q.value('SERVICE_PRICE', 'euro', p ? String(p.unitPriceEur) : undefined);
    const units = await q.optional('SERVICE_UNITS', 'positive', p?.estimatedUnits?.toString());
    s.pricing = {
      unit,
      unitPriceEur: Number(price.replace(',', '.')),
      ...(units ? { estimatedUnits: Number(units.replace(',', '.')) } : {}),
    };
  }
  const from = await q.date('SERVICE_FROM', {
    optional: true,
    ...(before?.period ? { def: before.period.from } : {}),
  });
  if (from) {
    const to = await q.date('SERVICE_TO', {
      optional: true,
      notBefore: from,
      ...(before?.period?.to ? { def: before.period.to } : {}),
    });
    s.period = { from, ...(to ? { to } : {}) };
  }
  const goals = q.draft.clientPlan?.goals ?? [];
  if (goals.length) {
    const goal = await q.ask.select<string>({
      message: q.m('SERVICE_GOAL'),
      choices: [
        { value: '', name: q.m('SERVICE_GOAL__none') },
        ...goals.map((g) => ({ value: g.id, name: g.text.slice(0, 70) })),
      ],
      ...(before?.clientPlanGoal
        ? { default: before.clientPlanGoal }
        : classification === 'aftercare' && goals[0]
          ? { default: goals[0].id }
          : {}),
    });
    if (goal) s.clientPlanGoal = goal;
  }
  const extra = await q.optional('SERVICE_DESCRIPTION', 'text', before?.description);
  const description = [...reasons, ...(extra ? [extra] : [])].join(' — ');
  if (description) s.description = description.slice(0, 2000);
  return s;
}
