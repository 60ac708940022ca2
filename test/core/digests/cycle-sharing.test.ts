/** A real delivery cycle shares one window's work between its destinations, and sends what buildDigest alone would. */
import { describe, expect, it } from 'vitest';
import { buildDigest } from '../../../src/core/digests/index.ts';
import { runCycle } from '../../../src/schedule/index.ts';
import { channel, clockOptions, fakeClock, makeDeps, scriptedAdapter, subscribe } from '../../delivery/support.ts';
import { loadDay } from '../commands/support.ts';

const TOPICS = [['agents'], ['diffusion', 'video'], ['agents', 'GUI'], ['reasoning -video'], ['"language models"', 'agents']];

describe('a delivery cycle over many destinations', () => {
  it('loads the window once and sends every destination the digest it would get on its own', async () => {
    const clock = fakeClock('2026-06-24T09:00:00Z');
    const deps = makeDeps(clock);
    await deps.store.upsertPapers([...loadDay('2026-06-23'), ...loadDay('2026-06-24')]);
    const keys: string[] = [];
    for (let i = 0; i < 40; i++) keys.push(await subscribe(deps, channel('slack', `C${i}`), { topics: TOPICS[i % TOPICS.length]! }));
    const now = clock.now();
    const expected = new Map<string, string[]>();
    for (const k of keys) expected.set(k, (await buildDigest((await deps.store.getDestination(k))!, deps, { now })).hits.map((h) => h.paper.id));

    const load = deps.store.papersListedBetween.bind(deps.store);
    let loads = 0;
    deps.store.papersListedBetween = async (from, to) => {
      loads++;
      return load(from, to);
    };
    const { adapter, sent } = scriptedAdapter('slack', clock);
    const report = await runCycle(deps, [adapter], now, { ...clockOptions(clock), concurrency: 8 });

    expect(report.outcomes.map((o) => o.status)).toEqual(keys.map(() => 'sent'));
    expect(loads).toBe(1);
    for (const s of sent) expect(s.reply.digest?.paperIds, s.key).toEqual(expected.get(s.key));
    expect(sent.filter((s) => (s.reply.digest?.paperIds.length ?? 0) > 0).length).toBe(40);
  });
});
