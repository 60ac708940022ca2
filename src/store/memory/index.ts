import { randomUUID } from 'node:crypto';
import type { Clock, Store } from '../../core/ports.ts';
import { StoreState } from './state.ts';
import { StateStore, nullPersister } from './state-store.ts';

export { StoreState } from './state.ts';
export { StateStore, type Persister } from './state-store.ts';
export { normaliseTopic } from './helpers.ts';
export * from './schema.ts';

/** A store that lives in memory only (tests, `--no-store` runs); same semantics as the JSON store. */
export function createMemoryStore(opts: { clock?: Clock } = {}): Store {
  const state = new StoreState();
  state.apply({ t: 'epoch', v: randomUUID() });
  return new StateStore(state, nullPersister, opts.clock);
}
