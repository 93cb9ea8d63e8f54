/**
 * `handover register purge [--dry-run] [--handover <id>…]` (SPEC §12): applies the retention
 * periods of templates/data/retention.json. Log events of use and disclosure go once their 12
 * years from the event have run; a case's rows only when the organisation names the handover
 * (their period runs from the client's death). Each purge is one transaction with its audit
 * entry (how many, the time range, and the SHA-256 over what was removed), so that `audit
 * --verify` still passes and shows what was purged; a dry run changes nothing.
 */
import { createHash } from 'node:crypto';
import { EXIT, HandoverError } from '../core/errors.js';
import { cutoffFor, retentionPeriod } from '../domain/retention.js';
import { openRegister } from '../register/index.js';

export interface PurgeResult {
  dryRun: boolean;
  /** Events at or before this moment have passed their period. */
  cutoff: string;
  citation: string;
  events: { count: number; first: string | null; last: string | null; sha256: string | null };
  handovers: { id: string; rows: number }[];
}

export async function purgeRegister(opts: {
  dryRun?: boolean;
  handovers?: readonly string[];
  now?: Date;
}): Promise<PurgeResult> {
  const period = retentionPeriod('log-of-use-and-disclosure');
  const cutoff = cutoffFor(period, opts.now ?? new Date()).toISOString();
  const reg = await openRegister(opts.dryRun ? { dryRun: true } : {});
  try {
    const ids = [...new Set((opts.handovers ?? []).map((h) => h.toLowerCase()))];
    for (const id of ids)
      if (!(await reg.getHandover(id, 'sent')) && !(await reg.getHandover(id, 'received')))
        throw new HandoverError('HANDOVER_NOT_IN_REGISTER', EXIT.invalid, {
          key: 'register.HANDOVER_NOT_IN_REGISTER',
          vars: { id: id.slice(0, 40) },
        });
    const run = async (dry: boolean): Promise<PurgeResult> =>
      reg.transaction(
        async (tx) => {
          const old = await tx.eventsBefore(cutoff);
          // What was removed, attestable later: the hash over the removed rows as stored.
          const sha256 = old.length
            ? createHash('sha256')
                .update(old.map((e) => JSON.stringify(e)).join('\n'))
                .digest('hex')
            : null;
          const events = {
            count: old.length,
            first: old[0]?.at ?? null,
            last: old.at(-1)?.at ?? null,
            sha256,
          };
          const handovers: PurgeResult['handovers'] = [];
          for (const id of ids) {
            const rows = dry ? await tx.caseRowCount(id) : await tx.deleteHandover(id);
            handovers.push({ id, rows });
            if (!dry)
              tx.audit({ event: 'purge', outcome: 'ok', handoverId: id, detail: `case-rows:${rows}` });
          }
          if (!dry && old.length > 0) {
            await tx.deleteEvents(old.map((e) => e.id));
            tx.audit({
              event: 'purge',
              outcome: 'ok',
              sha256: sha256 ?? undefined,
              detail: `log-events:${old.length}:${events.first}..${events.last}`,
            });
          }
          return { dryRun: dry, cutoff, citation: period.citation, events, handovers };
        },
        { lock: ids },
      );
    return await run(opts.dryRun === true);
  } finally {
    await reg.close();
  }
}
