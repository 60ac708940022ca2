/** DeliveryLedger over PostgreSQL: claims are a primary key, so exactly one replica wins a day. */
import type { ClaimStatus, DeliveryLedger, LedgerEntry, Store } from '../../core/ports.ts';
import { DAY, need, needDay } from './checks.ts';
import { wrap, type Db } from './db.ts';

interface Row {
  destination_key: string;
  day: string;
  status: ClaimStatus;
  claimed_at: string;
  finished_at: string | null;
  paper_ids: string[];
}

function toEntry(r: Row): LedgerEntry {
  const e: LedgerEntry = { key: r.destination_key, day: r.day, status: r.status, claimedAt: r.claimed_at, paperIds: r.paper_ids };
  if (r.finished_at !== null) e.finishedAt = r.finished_at;
  return e;
}

const RECORD_PAPERS = `
  INSERT INTO delivered_papers (destination_key, paper_id, day, at)
  SELECT $1, p, $2, $3 FROM unnest($4::text[]) AS p ORDER BY p
  ON CONFLICT DO NOTHING`;

export type PgLedger = DeliveryLedger & Required<Pick<Store, 'exportLedger' | 'importLedger'>>;

export function ledgerStore(db: Db): PgLedger {
  return {
    claimDigest: wrap('claimDigest', async (key: string, day: string, at: string) => {
      needDay(day);
      const res = await db.query(
        `INSERT INTO digest_ledger (destination_key, day, status, claimed_at) VALUES ($1, $2, 'claimed', $3)
         ON CONFLICT DO NOTHING`,
        [key, day, at],
      );
      return res.rowCount === 1;
    }),

    finishDigest: wrap('finishDigest', (key: string, day: string, status: 'sent' | 'failed', paperIds: string[], at: string) => {
      needDay(day);
      need(status === 'sent' || status === 'failed', `Unknown digest status ${String(status)}.`);
      need(Array.isArray(paperIds), 'finishDigest needs an array of paper ids.');
      const ids = [...new Set(paperIds)];
      return db.tx(async (c) => {
        await c.query(
          `INSERT INTO digest_ledger (destination_key, day, status, claimed_at, finished_at, paper_ids)
           VALUES ($1, $2, $3, $4, $4, $5)
           ON CONFLICT (destination_key, day) DO UPDATE
             SET status = EXCLUDED.status, finished_at = EXCLUDED.finished_at, paper_ids = EXCLUDED.paper_ids`,
          [key, day, status, at, ids],
        );
        // Papers named on a failed run may have reached the channel in part: never send them twice.
        if (ids.length > 0) await c.query(RECORD_PAPERS, [key, day, at, ids]);
      });
    }),

    /** A 'sent' digest stays claimed, so it is never sent twice. */
    releaseDigest: wrap('releaseDigest', async (key: string, day: string) => {
      await db.query(`DELETE FROM digest_ledger WHERE destination_key = $1 AND day = $2 AND status <> 'sent'`, [key, day]);
    }),

    digestStatus: wrap('digestStatus', async (key: string, day: string) => {
      const { rows } = await db.query<{ status: ClaimStatus }>(
        'SELECT status FROM digest_ledger WHERE destination_key = $1 AND day = $2',
        [key, day],
      );
      return rows[0]?.status;
    }),

    deliveredPapers: wrap('deliveredPapers', async (key: string, paperIds: string[]) => {
      if (paperIds.length === 0) return new Set<string>();
      const { rows } = await db.query<{ paper_id: string }>(
        'SELECT paper_id FROM delivered_papers WHERE destination_key = $1 AND paper_id = ANY($2::text[])',
        [key, paperIds],
      );
      return new Set(rows.map((r) => r.paper_id));
    }),

    exportLedger: wrap('exportLedger', async () => {
      const { rows } = await db.query<Row>('SELECT * FROM digest_ledger ORDER BY destination_key, day');
      return rows.map(toEntry);
    }),

    importLedger: wrap('importLedger', (entries: LedgerEntry[]) => {
      need(Array.isArray(entries), 'importLedger needs an array of entries.');
      for (const e of entries) {
        need(typeof e?.key === 'string' && DAY.test(e.day) && Array.isArray(e.paperIds), `Bad ledger entry ${JSON.stringify(e)?.slice(0, 200)}.`);
      }
      return db.tx(async (c) => {
        let n = 0;
        for (const e of entries) {
          await c.query(
            `INSERT INTO digest_ledger (destination_key, day, status, claimed_at, finished_at, paper_ids)
             VALUES ($1, $2, $3, $4, $5, $6)
             ON CONFLICT (destination_key, day) DO UPDATE SET status = EXCLUDED.status, claimed_at = EXCLUDED.claimed_at,
               finished_at = EXCLUDED.finished_at, paper_ids = EXCLUDED.paper_ids`,
            [e.key, e.day, e.status, e.claimedAt, e.finishedAt ?? null, e.paperIds],
          );
          if (e.paperIds.length > 0) await c.query(RECORD_PAPERS, [e.key, e.day, e.finishedAt ?? e.claimedAt, e.paperIds]);
          n++;
        }
        return n;
      });
    }),
  };
}
