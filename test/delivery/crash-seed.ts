/** Seeds a store for the crash and scale-out tests: real papers listed today, N due channels. */
import { destinationKey, silentLogger, type DestinationRef } from '../../src/core/index.ts';
import { openStore } from '../../src/store/index.ts';
import { realPapers } from '../store/real-papers.ts';


export interface Seeded {
  keys: string[];
  channels: string[];
  /** Local (UTC) day each destination is due for. */
  day: string;
}

function utcDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

const slackChannel = (i: number): DestinationRef => ({ platform: 'slack', kind: 'channel', id: `C${String(i).padStart(5, '0')}`, workspace: 'T0PAPER' });

/** `refOf` names the i-th destination (default: Slack channels of one workspace). */
export async function seedStore(databaseUrl: string, n: number, now: Date, refOf: (i: number) => DestinationRef = slackChannel): Promise<Seeded> {
  const store = await openStore(databaseUrl, { logger: silentLogger });
  try {
    const today = utcDay(now);
    const yesterday = utcDay(new Date(now.getTime() - 86_400_000));
    // Real papers, listed "today" an hour ago, so a first digest (last 24 hours) holds them.
    const submitted = new Date(now.getTime() - 3_600_000).toISOString();
    // Few papers keep the child's per-destination matching cheap; each topic is a word of a title.
    const papers = realPapers('2026-06-24').slice(0, 4).map((p) => ({ ...p, listedOn: today, submittedAt: submitted }));
    const topics = papers.map((p) => p.title.split(/[^A-Za-z]+/).reduce((a, b) => (b.length > a.length ? b : a), '').toLowerCase());
    await store.upsertPapers(papers);
    // Fetched just now: the child has nothing to fetch and never leaves loopback.
    await store.markDayFetched(yesterday, now.toISOString(), 0);
    await store.markDayFetched(today, now.toISOString(), papers.length);
    const due = new Date(now.getTime() - 10 * 60_000);
    const time = `${String(due.getUTCHours()).padStart(2, '0')}:${String(due.getUTCMinutes()).padStart(2, '0')}`;
    const channels: string[] = [];
    const keys: string[] = [];
    for (let i = 0; i < n; i++) {
      const ref = refOf(i);
      // notifyEmpty: every destination posts exactly one message, even if its topic found nothing.
      await store.ensureDestination(ref, {
        topics: [topics[i % topics.length]!],
        time,
        timezone: 'UTC',
        paused: false,
        weekdaysOnly: false,
        notifyEmpty: true,
        maxPapers: 5,
      });
      channels.push(ref.id);
      keys.push(destinationKey(ref));
    }
    return { keys, channels, day: utcDay(due) };
  } finally {
    await store.close();
  }
}
