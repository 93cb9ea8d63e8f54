/** A joint meeting: proposed slots, the channel, and an agenda of what still needs agreeing. */
import type { Interview } from '../base.js';

export async function meeting(q: Interview, force = false): Promise<void> {
  if (q.draft.meeting && !force) return;
  if (!(await q.ask.confirm({ message: q.m('MEETING_PROPOSE'), default: true }))) {
    delete q.draft.meeting;
    return;
  }
  const slots: { start: string; end: string }[] = [];
  do {
    const day = (await q.date('MEETING_DAY', { notBefore: q.today }))!;
    const time = await q.ask.text({
      message: q.m('MEETING_TIME'),
      default: '10:00',
      validate: (v) => (/^([01]?\d|2[0-3])[:.][0-5]\d$/.test(v.trim()) ? true : q.m('CHECK_time')),
    });
    const minutes = await q.value('MEETING_MINUTES', 'positive', '60');
    slots.push(slot(day, time.trim().replace('.', ':'), Number(minutes)));
  } while (slots.length < 20 && (await q.ask.confirm({ message: q.m('MEETING_MORE'), default: false })));
  const channel = await q.choose(
    'MEETING_CHANNEL',
    ['teams', 'video', 'phone', 'in-person'] as const,
    'teams',
  );
  const location = await q.optional('MEETING_LOCATION', 'line');
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

/** A meeting slot from a Helsinki wall-clock time, written with the local offset of that day. */
export function slot(day: string, time: string, minutes: number): { start: string; end: string } {
  const [h, mi] = time.split(':').map(Number) as [number, number];
  const local = new Date(`${day}T${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}:00`);
  return { start: withOffset(local), end: withOffset(new Date(local.getTime() + minutes * 60_000)) };
}

/** RFC 3339 with the machine's local offset (what a worker's clock shows). */
export function withOffset(d: Date): string {
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  const abs = Math.abs(off);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}${sign}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
}
