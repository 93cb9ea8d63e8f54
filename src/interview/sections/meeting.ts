/** A joint meeting: proposed slots, the channel, and an agenda of what still needs agreeing. */
import { helsinkiDate, helsinkiDateTime, helsinkiTime, helsinkiWallClock } from '../../domain/dates.js';
import type { Interview } from '../base.js';

export async function meeting(q: Interview, force = false): Promise<void> {
  if (q.draft.meeting && !force) return;
  if (!(await q.ask.confirm({ message: q.m('MEETING_PROPOSE'), default: true }))) {
    delete q.draft.meeting;
    return;
  }
  const earlier = q.draft.meeting;
  const slots: { start: string; end: string }[] = [];
  do {
    // Editing from the summary: each earlier slot is what Enter accepts.
    const was = earlier?.slots[slots.length];
    const wasDay = was ? helsinkiDate(was.start) : undefined;
    const day = (await q.date('MEETING_DAY', { notBefore: q.today, ...(wasDay ? { def: wasDay } : {}) }))!;
    const time = await q.ask.text({
      message: q.m('MEETING_TIME'),
      default: (was && helsinkiTime(was.start)) || '10:00',
      validate: (v) => (/^([01]?\d|2[0-3])[:.][0-5]\d$/.test(v.trim()) ? true : q.m('CHECK_time')),
    });
    const wasMinutes = was ? Math.round((Date.parse(was.end) - Date.parse(was.start)) / 60_000) : 60;
    const minutes = await q.value('MEETING_MINUTES', 'positive', String(wasMinutes));
    slots.push(slot(day, time.trim().replace('.', ':'), Number(minutes)));
  } while (
    slots.length < 20 &&
    (await q.ask.confirm({
      message: q.m('MEETING_MORE'),
      default: (earlier?.slots.length ?? 0) > slots.length,
    }))
  );
  const channel = await q.choose(
    'MEETING_CHANNEL',
    ['teams', 'video', 'phone', 'in-person'] as const,
    earlier?.channel ?? 'teams',
  );
  const location = await q.optional('MEETING_LOCATION', 'line', earlier?.location);
  const agenda = (q.draft.services ?? [])
    .filter((s) => s.classification === 'needs-agreement' || s.payer === 'undecided')
    .map((s) => q.m('MEETING_AGENDA_SERVICE', { service: q.catalogue.get(s.code)?.name[q.lang] ?? s.code }));
  q.draft.meeting = {
    slots,
    channel,
    ...(location ? { location } : {}),
    ...(agenda.length ? { agenda } : {}),
  };
}

/** A meeting slot from a Helsinki wall-clock time, written with Helsinki's offset of that day. */
export function slot(day: string, time: string, minutes: number): { start: string; end: string } {
  const start = helsinkiWallClock(day, time);
  return { start: withOffset(start), end: withOffset(new Date(start.getTime() + minutes * 60_000)) };
}

/** RFC 3339 as a clock in Finland shows it: the machine's own time zone plays no part (SPEC §4.8). */
export const withOffset = (d: Date): string => helsinkiDateTime(d);
