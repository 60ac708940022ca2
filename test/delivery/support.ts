/** Shared pieces of the delivery tests: deps on a fake clock, a scriptable adapter, subscriptions. */
import {
  defaultCoreConfig,
  destinationKey,
  silentLogger,
  type Adapter,
  type CoreDeps,
  type Destination,
  type DestinationRef,
  type Platform,
  type Reply,
} from '../../src/core/index.ts';
import { createSearchIndex } from '../../src/core/search/index.ts';
import { createMemoryStore } from '../../src/store/index.ts';
import type { CycleOptions } from '../../src/schedule/index.ts';

export interface FakeClock {
  now: () => Date;
  set(iso: string | Date): void;
  advance(ms: number): void;
}

export function fakeClock(start: string): FakeClock {
  let t = new Date(start).getTime();
  return {
    now: () => new Date(t),
    set: (iso) => void (t = new Date(iso).getTime()),
    advance: (ms) => void (t += ms),
  };
}

export function makeDeps(clock: FakeClock): CoreDeps {
  return { store: createMemoryStore({ clock }), index: createSearchIndex(), clock, logger: silentLogger, config: defaultCoreConfig };
}

/** Retries wait on the fake clock: each wait is recorded and advances it; nothing sleeps. */
export function clockOptions(clock: FakeClock, waits: number[] = []): Partial<CycleOptions> {
  return {
    sleep: async (ms) => {
      waits.push(ms);
      clock.advance(ms);
    },
    random: () => 0.5,
  };
}

export interface Sent {
  key: string;
  at: string;
  reply: Reply;
}

/** An adapter that records what it delivers; `behave` may throw or stall per destination. */
export function scriptedAdapter(platform: Platform, clock: FakeClock, behave?: (dest: Destination, n: number) => Promise<void> | void) {
  const sent: Sent[] = [];
  let calls = 0;
  let active = 0;
  let maxActive = 0;
  const adapter: Adapter = {
    platform,
    async start() {},
    async stop() {},
    async deliver(dest, reply) {
      active++;
      maxActive = Math.max(maxActive, active);
      try {
        await behave?.(dest, calls++);
        sent.push({ key: dest.key, at: clock.now().toISOString(), reply });
      } finally {
        active--;
      }
    },
    health: () => ({ connected: true }),
  };
  return { adapter, sent, maxActive: () => maxActive };
}

export const channel = (platform: Platform, id: string): DestinationRef => ({ platform, kind: 'channel', id });

export async function subscribe(deps: CoreDeps, ref: DestinationRef, settings: Partial<Destination['settings']> = {}): Promise<string> {
  const key = destinationKey(ref);
  const topics = settings.topics ?? ['diffusion'];
  await deps.store.ensureDestination(ref, {
    time: '09:00',
    timezone: 'UTC',
    paused: false,
    weekdaysOnly: false,
    notifyEmpty: true,
    maxPapers: 10,
    ...settings,
    topics: [],
  });
  for (const t of topics) await deps.store.addTopic(key, t, 25);
  return key;
}
