/**
 * A real Discord adapter (real discord.js Client) logged in to the local stand-in, on a memory
 * store and a search index over the real shared papers, plus helpers to play a Discord user.
 */
import type { AppConfig } from '../../../src/config.ts';
import { defaultCoreConfig, type CoreDeps } from '../../../src/core/commands/index.ts';
import type { Clock, Logger } from '../../../src/core/index.ts';
import { createSearchIndex } from '../../../src/core/search/index.ts';
import { createMemoryStore } from '../../../src/store/index.ts';
import { createDiscordAdapter, type DiscordAdapter } from '../../../src/bots/discord/index.ts';
import {
  ALL_PERMISSIONS, DEFAULT_GUILD, MEMBER_PERMISSIONS, autocompleteInteraction, buttonInteraction, slashInteraction, startDiscordStandIn, user,
  type CommandInput, type DiscordStandIn, type InteractionWhere, type StandInOptions,
} from '../../support/discord/index.ts';
import { loadAllPapers } from './papers.ts';

export type Who = 'manager' | 'member' | 'dm';

export interface HarnessOptions extends StandInOptions {
  deferAfterMs?: number;
  guildId?: string;
  maxRateLimitWaitMs?: number;
  now?: string;
  /** PLATFORM_TIMEOUT_SECONDS in ms (shortened by the slow-platform tests). */
  platformTimeoutMs?: number;
}

/** Collects log lines so tests can assert what was logged. */
export function memoryLogger(): Logger & { lines: { level: string; obj: unknown; msg?: string }[] } {
  const lines: { level: string; obj: unknown; msg?: string }[] = [];
  const at = (level: string) => (obj: object | string, msg?: string): void => { lines.push({ level, obj, msg }); };
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

export const papers = loadAllPapers();

export class Harness {
  readonly textChannel = DEFAULT_GUILD.channels[0] as { id: string; type: number; name: string };
  readonly alice = user('300000000000000001', 'alice');
  readonly bob = user('300000000000000002', 'bob');

  constructor(
    readonly stand: DiscordStandIn,
    readonly adapter: DiscordAdapter,
    readonly deps: CoreDeps,
    readonly config: AppConfig,
    readonly logger: ReturnType<typeof memoryLogger>,
    readonly clock: Clock & { set(iso: string): void },
  ) {}

  where(who: Who, u = this.alice, channel = this.textChannel): InteractionWhere {
    if (who === 'dm') return { user: u };
    return { user: u, guild: { id: DEFAULT_GUILD.id, channel, permissions: who === 'manager' ? ALL_PERMISSIONS : MEMBER_PERMISSIONS } };
  }

  private commandId(name: string): string | undefined {
    for (const list of this.stand.state.commands.values()) {
      const c = list.find((x) => x.name === name);
      if (c) return String(c.id);
    }
    return undefined;
  }

  /** Dispatches a slash command over the gateway; returns the interaction payload. */
  command(cmd: CommandInput, who: Who = 'member', u = this.alice): Record<string, unknown> {
    const i = slashInteraction(this.stand.applicationId, this.where(who, u), { ...cmd, commandId: this.commandId(cmd.name) });
    this.stand.gateway.dispatch('INTERACTION_CREATE', i);
    return i;
  }

  autocomplete(cmd: CommandInput, focused: string, who: Who = 'member', u = this.alice): Record<string, unknown> {
    const i = autocompleteInteraction(this.stand.applicationId, this.where(who, u), { ...cmd, commandId: this.commandId(cmd.name) }, focused);
    this.stand.gateway.dispatch('INTERACTION_CREATE', i);
    return i;
  }

  button(customId: string, message: Record<string, unknown>, who: Who = 'member', u = this.alice): Record<string, unknown> {
    const i = buttonInteraction(this.stand.applicationId, this.where(who, u), customId, message);
    this.stand.gateway.dispatch('INTERACTION_CREATE', i);
    return i;
  }

  /** The callback body the bot sent for an interaction. */
  async callback(i: Record<string, unknown>): Promise<Record<string, unknown>> {
    const r = await this.stand.waitForRequest((x) => x.method === 'POST' && x.path === `/interactions/${String(i.id)}/${String(i.token)}/callback`);
    return r.body as Record<string, unknown>;
  }

  /**
   * The message the user finally sees: the callback's data, or after a deferral the edit of
   * @original. `ephemeral` tells whether only the caller sees it.
   */
  async final(i: Record<string, unknown>): Promise<{ body: Record<string, unknown>; ephemeral: boolean; deferred: boolean }> {
    const cb = await this.callback(i);
    const type = Number(cb.type);
    if (type === 4 || type === 7) {
      const data = cb.data as Record<string, unknown>;
      return { body: data, ephemeral: (Number(data.flags ?? 0) & 64) !== 0, deferred: false };
    }
    const edit = await this.stand.waitForRequest((x) => x.method === 'PATCH' && x.path === `/webhooks/${this.stand.applicationId}/${String(i.token)}/messages/@original`);
    const data = (cb.data ?? {}) as Record<string, unknown>;
    return { body: edit.body as Record<string, unknown>, ephemeral: (Number(data.flags ?? 0) & 64) !== 0, deferred: true };
  }

  /** All text the user sees in a message body (content, embed titles, descriptions, fields). */
  static text(body: Record<string, unknown>): string {
    const embeds = (body.embeds as Record<string, unknown>[] | undefined) ?? [];
    const parts = [String(body.content ?? '')];
    for (const e of embeds) {
      parts.push(String(e.title ?? ''), String(e.description ?? ''));
      for (const f of (e.fields as { name: string; value: string }[] | undefined) ?? []) parts.push(`${f.name}: ${f.value}`);
    }
    return parts.join('\n');
  }

  async close(): Promise<void> {
    await this.adapter.stop();
    await this.stand.close();
    await this.deps.store.close();
  }
}

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const stand = await startDiscordStandIn(opts);
  const clock: Clock & { set(iso: string): void } = {
    t: new Date(opts.now ?? '2026-08-20T09:05:00Z'),
    now() { return this.t; },
    set(iso: string) { this.t = new Date(iso); },
  } as Clock & { t: Date; set(iso: string): void };
  const logger = memoryLogger();
  const store = createMemoryStore({ clock });
  await store.upsertPapers(papers);
  const deps: CoreDeps = { store, index: createSearchIndex(papers), clock, logger, config: defaultCoreConfig };
  const config: AppConfig = {
    databaseUrl: 'file:./unused.json', hfEndpoint: 'http://127.0.0.1:9', port: 0, digestTime: '09:00', digestTimezone: 'UTC',
    catchUpHours: 6, logLevel: 'silent', ...(opts.platformTimeoutMs ? { platformTimeoutMs: opts.platformTimeoutMs } : {}),
    discord: { token: stand.token, applicationId: stand.applicationId, apiUrl: stand.apiUrl, ...(opts.guildId ? { guildId: opts.guildId } : {}) },
  };
  const adapter = createDiscordAdapter({
    config, deps, logger, deferAfterMs: opts.deferAfterMs ?? 1500, ...(opts.maxRateLimitWaitMs ? { maxRateLimitWaitMs: opts.maxRateLimitWaitMs } : {}),
  });
  await adapter.start();
  return new Harness(stand, adapter, deps, config, logger, clock);
}
