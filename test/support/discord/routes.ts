/**
 * The stand-in's HTTP routes below /api/v10: what Discord answers to each call the bot makes.
 */
import { channelObject, messageObject, snowflake, ChannelType, type ChannelObject, type GuildSetup, type UserObject } from './fixtures.ts';

type Json = Record<string, unknown>;

export interface InteractionRecord {
  /** Callback bodies in order (type 4 reply, 5 defer, 6 deferred update, 7 update, 8 autocomplete). */
  callbacks: Json[];
  /** PATCHes of @original. */
  edits: Json[];
  followUps: Json[];
}

export interface RouteState {
  applicationId: string;
  bot: UserObject;
  guilds: GuildSetup[];
  dmClosed: Set<string>;
  /** Registered commands by scope: `global` or the guild id. */
  commands: Map<string, Json[]>;
  /** Messages posted to channels (incl. DMs and forum threads), by channel id. */
  messages: Map<string, Json[]>;
  /**
   * The same messages as Discord returns them (ids, author, nonce), oldest first, by channel id;
   * what GET /channels/{id}/messages reads. Tests may push messages of other authors here.
   */
  history: Map<string, Json[]>;
  /** DM channels and threads created during the test. */
  channels: Map<string, ChannelObject & { recipient?: string }>;
  interactions: Map<string, InteractionRecord>;
  gatewayUrl: () => string;
}

export interface RouteResult {
  status: number;
  body?: unknown;
}

const notFound = (code: number, message: string): RouteResult => ({ status: 404, body: { message, code } });

function findChannel(s: RouteState, id: string): ChannelObject | undefined {
  for (const g of s.guilds) {
    const c = g.channels.find((ch) => ch.id === id);
    if (c) return channelObject(c, g.id);
  }
  return s.channels.get(id);
}

function interaction(s: RouteState, token: string): InteractionRecord {
  let rec = s.interactions.get(token);
  if (!rec) {
    rec = { callbacks: [], edits: [], followUps: [] };
    s.interactions.set(token, rec);
  }
  return rec;
}

function postMessage(s: RouteState, channelId: string, body: Json): RouteResult {
  const ch = findChannel(s, channelId);
  if (!ch) return notFound(10003, 'Unknown Channel');
  if (ch.type === ChannelType.GuildForum) return { status: 400, body: { message: 'Cannot send messages in a forum channel', code: 50008 } };
  const recipient = (ch as { recipient?: string }).recipient;
  if (recipient && s.dmClosed.has(recipient)) return { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } };
  // enforce_nonce: the same nonce from the same author within the dedupe window returns the first message.
  const nonce = body.nonce;
  if (body.enforce_nonce === true && nonce !== undefined && nonce !== null) {
    const dup = (s.history.get(channelId) ?? []).find((m) => m.nonce === nonce && (m.author as Json).id === s.bot.id);
    if (dup) return { status: 200, body: dup };
  }
  const list = s.messages.get(channelId) ?? [];
  list.push(body);
  s.messages.set(channelId, list);
  const extra: Json = ch.guild_id ? { guild_id: ch.guild_id } : {};
  if (nonce !== undefined && nonce !== null) extra.nonce = nonce;
  return { status: 200, body: remember(s, channelId, messageObject(channelId, s.bot, body, extra)) };
}

function remember(s: RouteState, channelId: string, message: Json): Json {
  const list = s.history.get(channelId) ?? [];
  list.push(message);
  s.history.set(channelId, list);
  return message;
}

/** GET /channels/{id}/messages: newest first, `limit` (default 50), `before`/`after` by snowflake. */
function readMessages(s: RouteState, channelId: string, query: URLSearchParams): RouteResult {
  if (!findChannel(s, channelId)) return notFound(10003, 'Unknown Channel');
  const limit = Number(query.get('limit') ?? 50);
  const before = query.get('before');
  const after = query.get('after');
  const list = (s.history.get(channelId) ?? []).filter(
    (m) => (!before || BigInt(String(m.id)) < BigInt(before)) && (!after || BigInt(String(m.id)) > BigInt(after)),
  );
  // Discord returns the nonce only on the create response and gateway events.
  const page = list.slice().reverse().slice(0, limit).map(({ nonce: _n, ...m }) => m);
  return { status: 200, body: page };
}

/** POST /channels/{id}/messages/{message_id}/threads: a public thread whose id is the message's. */
function threadFromMessage(s: RouteState, channelId: string, messageId: string, b: Json): RouteResult {
  const parent = findChannel(s, channelId);
  if (!parent) return notFound(10003, 'Unknown Channel');
  const message = (s.history.get(channelId) ?? []).find((m) => m.id === messageId);
  if (!message) return notFound(10008, 'Unknown Message');
  if (message.thread) return { status: 400, body: { message: 'A thread has already been created for this message', code: 160004 } };
  const thread = {
    id: messageId, type: ChannelType.PublicThread, guild_id: parent.guild_id, parent_id: parent.id, name: String(b.name), owner_id: s.bot.id,
    flags: 0, last_message_id: null, message_count: 0, member_count: 1, total_message_sent: 0, rate_limit_per_user: 0,
    thread_metadata: { archived: false, auto_archive_duration: Number(b.auto_archive_duration ?? 1440), archive_timestamp: new Date().toISOString(), locked: false },
  };
  s.channels.set(messageId, thread);
  message.thread = thread;
  return { status: 201, body: thread };
}

function registerCommands(s: RouteState, scope: string, body: unknown): RouteResult {
  const list = (Array.isArray(body) ? body : []) as Json[];
  const saved = list.map((c) => ({
    id: snowflake(), application_id: s.applicationId, version: snowflake(), type: 1, default_member_permissions: null,
    ...(scope === 'global' ? {} : { guild_id: scope }), nsfw: false, ...c,
  }));
  s.commands.set(scope, saved);
  return { status: 200, body: saved };
}

const PATTERNS = [
  'gateway/bot', 'gateway', 'users/@me', 'applications/:/commands', 'applications/:/guilds/:/commands', 'channels/:', 'channels/:/messages',
  'channels/:/threads', 'channels/:/messages/:/threads', 'users/@me/channels', 'interactions/:/:/callback', 'webhooks/:/:/messages/@original', 'webhooks/:/:',
];

/** `METHOD pattern` of the first pattern the path segments fit (`:` is one parameter segment). */
function routeKey(method: string, seg: string[]): string {
  const hit = PATTERNS.find((p) => {
    const ps = p.split('/');
    return ps.length === seg.length && ps.every((x, i) => x === ':' || x === seg[i]);
  });
  return `${method} ${hit ?? seg.join('/')}`;
}

export function routeRequest(s: RouteState, method: string, path: string, query: URLSearchParams, body: unknown): RouteResult {
  const seg = path.split('/').filter(Boolean);
  const b = (body ?? {}) as Json;
  const key = routeKey(method, seg);
  switch (key) {
    case 'GET gateway/bot':
      return { status: 200, body: { url: s.gatewayUrl(), shards: 1, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 1 } } };
    case 'GET gateway':
      return { status: 200, body: { url: s.gatewayUrl() } };
    case 'GET users/@me':
      return { status: 200, body: s.bot };
    case 'PUT applications/:/commands':
      return registerCommands(s, 'global', body);
    case 'PUT applications/:/guilds/:/commands':
      return registerCommands(s, seg[3] ?? '', body);
    case 'GET channels/:': {
      const ch = findChannel(s, seg[1] ?? '');
      return ch ? { status: 200, body: ch } : notFound(10003, 'Unknown Channel');
    }
    case 'POST channels/:/messages':
      return postMessage(s, seg[1] ?? '', b);
    case 'GET channels/:/messages':
      return readMessages(s, seg[1] ?? '', query);
    case 'POST channels/:/threads': {
      const parent = findChannel(s, seg[1] ?? '');
      if (!parent) return notFound(10003, 'Unknown Channel');
      const id = snowflake();
      const thread = {
        id, type: ChannelType.PublicThread, guild_id: parent.guild_id, parent_id: parent.id, name: String(b.name), owner_id: s.bot.id,
        flags: 0, last_message_id: null, message_count: 1, member_count: 1, total_message_sent: 1, rate_limit_per_user: 0,
        thread_metadata: { archived: false, auto_archive_duration: 1440, archive_timestamp: new Date().toISOString(), locked: false },
      };
      s.channels.set(id, thread);
      const starter = (b.message ?? {}) as Json;
      s.messages.set(id, [starter]);
      // The starter message shares the thread's id.
      const message = remember(s, id, messageObject(id, s.bot, starter, { id, guild_id: parent.guild_id }));
      return { status: 201, body: { ...thread, message } };
    }
    case 'POST channels/:/messages/:/threads':
      return threadFromMessage(s, seg[1] ?? '', seg[3] ?? '', b);
    case 'POST users/@me/channels': {
      const recipient = String(b.recipient_id);
      const existing = [...s.channels.values()].find((c) => c.recipient === recipient);
      const dm = existing ?? { id: snowflake(), type: ChannelType.DM, flags: 0, last_message_id: null, recipient };
      s.channels.set(dm.id, dm);
      const { recipient: _r, ...pub } = dm;
      return { status: 200, body: { ...pub, recipients: [{ id: recipient, username: `user${recipient}`, discriminator: '0', global_name: null, avatar: null }] } };
    }
    case 'POST interactions/:/:/callback': {
      const rec = interaction(s, seg[2] ?? '');
      rec.callbacks.push(b);
      if (query.get('with_response') === 'true') {
        return { status: 200, body: { interaction: { id: seg[1], type: 2, response_message_loading: b.type === 5, response_message_ephemeral: false }, resource: { type: b.type } } };
      }
      return { status: 204 };
    }
    case 'PATCH webhooks/:/:/messages/@original': {
      const rec = interaction(s, seg[2] ?? '');
      rec.edits.push(b);
      return { status: 200, body: messageObject('0', s.bot, b, { webhook_id: s.applicationId, application_id: s.applicationId }) };
    }
    case 'DELETE webhooks/:/:/messages/@original':
      return { status: 204 };
    case 'POST webhooks/:/:': {
      const rec = interaction(s, seg[2] ?? '');
      rec.followUps.push(b);
      return { status: 200, body: messageObject('0', s.bot, b, { webhook_id: s.applicationId, application_id: s.applicationId }) };
    }
    default:
      return notFound(0, `404: stand-in has no route for ${method} ${path}`);
  }
}
