/**
 * Data minimisation (SPEC §4.3): which parts of a handover each consent category opens, and
 * how a draft is cut down to the scope, so that nothing outside it is asked or written.
 */
import { CATEGORIES as CATALOGUE_CATEGORIES } from '../domain/catalogue.js';
import type { Category, Handover } from '../schema/types.js';

// One list of categories in the product: the catalogue's (its order is the checklist's).
export const CATEGORIES: readonly Category[] = CATALOGUE_CATEGORIES;

/** Categories that only tag goals and services; they open no section of their own. */
export const TAG_CATEGORIES: readonly Category[] = ['health', 'substanceUse', 'education', 'finances'];

export const isCategory = (v: unknown): v is Category =>
  typeof v === 'string' && (CATEGORIES as readonly string[]).includes(v);

/** A draft: any part of a handover may be missing. */
export type Draft = Partial<Omit<Handover, 'youth' | 'consent'>> & {
  youth?: Partial<Handover['youth']>;
  consent?: Partial<Handover['consent']>;
};

export interface Removal {
  pointer: string;
  category: Category;
}

/** Default categories of a service code (the catalogue's), looked up by the caller. */
export type ServiceCategories = (code: string) => readonly Category[];

/** The categories a service needs in scope: "services", its own tags and its code's defaults. */
export function serviceNeeds(
  s: { code?: unknown; categories?: readonly Category[] },
  defaults: ServiceCategories,
): Category[] {
  const own = Array.isArray(s.categories) ? s.categories : [];
  const byCode = typeof s.code === 'string' ? defaults(s.code) : [];
  return [...new Set<Category>(['services', ...own, ...byCode])];
}

/**
 * A copy of the draft with every part outside the scope removed, and the pointers of what was
 * removed. Consent itself, the parties, the youth's identity, the meeting and the notes are
 * never cut: identity is always in scope and the rest is not the youth's data by category.
 */
export function pruneToScope(
  draft: Draft,
  scope: readonly Category[],
  defaults: ServiceCategories,
): { draft: Draft; removed: Removal[] } {
  const has = (c: Category) => scope.includes(c);
  const d = structuredClone(draft);
  const removed: Removal[] = [];
  if (d.youth?.contact !== undefined && !has('contact')) {
    delete d.youth.contact;
    removed.push({ pointer: '/youth/contact', category: 'contact' });
  }
  if (d.entitlement !== undefined && !has('entitlement')) {
    delete d.entitlement;
    removed.push({ pointer: '/entitlement', category: 'entitlement' });
  }
  // SPEC §5.3 CONSENT_SCOPE: decisions need "entitlement", the payment commitment "services".
  if (d.decisions !== undefined && !has('entitlement')) {
    delete d.decisions;
    removed.push({ pointer: '/decisions', category: 'entitlement' });
  }
  if (d.paymentCommitment !== undefined && !has('services')) {
    delete d.paymentCommitment;
    removed.push({ pointer: '/paymentCommitment', category: 'services' });
  }
  if (d.clientPlan !== undefined) {
    if (!has('clientPlan')) {
      delete d.clientPlan;
      removed.push({ pointer: '/clientPlan', category: 'clientPlan' });
    } else if (Array.isArray(d.clientPlan.goals)) {
      const kept: typeof d.clientPlan.goals = [];
      d.clientPlan.goals.forEach((g, i) => {
        const missing = (g.categories ?? []).find((c) => !has(c));
        if (missing) removed.push({ pointer: `/clientPlan/goals/${i}`, category: missing });
        else kept.push(g);
      });
      d.clientPlan.goals = kept;
    }
  }
  if (Array.isArray(d.services) && d.services.length > 0) {
    if (!has('services')) {
      removed.push({ pointer: '/services', category: 'services' });
      d.services = [];
    } else {
      const kept: typeof d.services = [];
      d.services.forEach((s, i) => {
        const missing = serviceNeeds(s, defaults).find((c) => !has(c));
        if (missing) removed.push({ pointer: `/services/${i}`, category: missing });
        else kept.push(s);
      });
      d.services = kept;
    }
  }
  // A service may point at a goal that was cut: the link goes, the service stays.
  const goalIds = new Set((d.clientPlan?.goals ?? []).map((g) => g.id));
  for (const s of d.services ?? [])
    if (s.clientPlanGoal && !goalIds.has(s.clientPlanGoal)) delete s.clientPlanGoal;
  return { draft: d, removed };
}
