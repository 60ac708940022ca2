/**
 * Who is asking: builds the neutral CommandContext from a Slack event. Admins and owners come from
 * users.info (cached briefly, so a demoted admin loses rights within a minute), plus SLACK_ADMIN_USERS.
 */
import type { webApi } from '@slack/bolt';
import { LRUCache } from 'lru-cache';
import type { CommandContext } from '../../core/index.ts';
import type { Logger } from '../../core/ports.ts';

interface UserFacts {
  admin: boolean;
  tz?: string;
}

/** People whose users.info answer is remembered (each for cacheMs); the least recently used goes first. */
const USERS_MAX = 5000;

export interface ContextSource {
  /** `teamId` is the workspace, or for an org-wide (Enterprise Grid) install the enterprise: whose token serves it. */
  build(e: { userId: string; channelId?: string; teamId?: string }): Promise<CommandContext>;
}

export function createContextSource(opts: { client: webApi.WebClient; adminUsers: readonly string[]; logger: Logger; cacheMs: number }): ContextSource {
  const cache = opts.cacheMs > 0 ? new LRUCache<string, UserFacts>({ max: USERS_MAX, ttl: opts.cacheMs }) : undefined;
  const listed = new Set(opts.adminUsers);

  async function facts(userId: string): Promise<UserFacts> {
    const hit = cache?.get(userId);
    if (hit) return hit;
    try {
      const res = await opts.client.users.info({ user: userId });
      const u = res.user;
      const f: UserFacts = { admin: Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner), tz: u?.tz || undefined };
      cache?.set(userId, f);
      return f;
    } catch (err) {
      // Without users.info we still answer; only SLACK_ADMIN_USERS may then manage channels.
      opts.logger.warn({ user: userId, err: (err as Error).message }, 'users.info failed; treating the caller as a non-admin');
      return { admin: false };
    }
  }

  return {
    async build({ userId, channelId, teamId }) {
      const f = await facts(userId);
      // D… ids are direct messages: there is no channel to manage there.
      const inChannel = channelId && !channelId.startsWith('D');
      return {
        platform: 'slack',
        user: { platform: 'slack', kind: 'user', id: userId, ...(teamId ? { workspace: teamId } : {}) },
        ...(inChannel ? { channel: { platform: 'slack' as const, kind: 'channel' as const, id: channelId, ...(teamId ? { workspace: teamId } : {}) } } : {}),
        canManageChannel: listed.has(userId) || f.admin,
        ...(f.tz ? { userTimezone: f.tz } : {}),
      };
    },
  };
}

/**
 * Whose installation serves a request: an org-wide (Enterprise Grid) install is stored under its
 * enterprise, so that is the destination's workspace; otherwise the workspace (team) itself.
 */
export function installOf(p: { team_id?: string | undefined; enterprise_id?: string | undefined; is_enterprise_install?: unknown }): string | undefined {
  const org = p.is_enterprise_install === true || p.is_enterprise_install === 'true';
  return org && p.enterprise_id ? p.enterprise_id : p.team_id;
}

/** The same for an interaction payload (button press, modal submission). */
export function installOfPayload(b: { team?: { id?: string } | null; user: { team_id?: string }; enterprise?: { id?: string } | null; is_enterprise_install?: unknown }): string | undefined {
  return installOf({ team_id: b.team?.id ?? b.user.team_id, enterprise_id: b.enterprise?.id, is_enterprise_install: b.is_enterprise_install });
}
