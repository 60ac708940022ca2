/**
 * A local stand-in of the Slack Web API on 127.0.0.1 (port 0): `POST /api/<method>` with form or
 * JSON bodies, bearer (or body) token checks, each method's required arguments, Slack-shaped
 * `ok:false` errors and 429s with `Retry-After`. `POST /response/<id>` captures what Bolt's
 * `respond()` sends to a command's `response_url`.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { messageProblems, viewProblems } from './block-limits.ts';

export interface StandInUser {
  id: string;
  is_admin?: boolean;
  is_owner?: boolean;
  tz?: string;
  deleted?: boolean;
}

export interface StandInChannel {
  id: string;
  /** Whether the bot is a member (false answers `not_in_channel`). */
  member?: boolean;
  archived?: boolean;
  /** A private channel: reading its history needs `groups:history`. */
  private?: boolean;
}

export interface ApiCall {
  method: string;
  args: Record<string, unknown>;
  token?: string;
  at: number;
  /** What the stand-in answered: `ok`, an error code, or `429`. */
  outcome: string;
}

export interface CapturedResponse {
  id: string;
  body: Record<string, unknown>;
  problems: string[];
}

/**
 * `hold`: answer normally, but only once the promise settles (a slow Slack, before taking the call).
 * The others take the call first (a message is posted) and then: `late` answer after that many ms
 * (past the client's timeout), `reset` the connection without answering, or answer `status` (a
 * proxy's 502) with an HTML page. `refuse`: answer that HTTP status without taking it.
 */
export type Fault =
  /** Answers normally: a placeholder in a queue of faults. */
  | { pass: true }
  | { error: string }
  | { retryAfter: number }
  | { hold: Promise<unknown> }
  | { late: number }
  | { reset: true }
  | { status: number }
  | { refuse: number };

export interface SlackStandInOptions {
  botToken: string;
  appToken?: string;
  teamId?: string;
  users?: StandInUser[];
  channels?: StandInChannel[];
  /** Scopes announced in `x-oauth-scopes`, as Slack does on every answer (default: the four chat scopes, no history). */
  scopes?: string[];
}

/** A message the stand-in accepted, as conversations.history returns it. */
export interface PostedMessage {
  ts: string;
  text?: unknown;
  blocks?: unknown;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
  /** A reply: the ts of its thread's parent. */
  thread_ts?: string;
}

export interface SlackStandIn {
  /** Accepted messages by channel id (DMs under `D<user>`), oldest first. */
  messages: Map<string, PostedMessage[]>;
  /** Web API base, ends with `/api/` like `https://slack.com/api/`. */
  apiUrl: string;
  origin: string;
  calls: ApiCall[];
  responses: CapturedResponse[];
  responseUrl(id: string): string;
  /** The next call(s) of `method` fail with this fault, in order. */
  failNext(method: string, ...faults: Fault[]): void;
  /** Every later call of `method` meets this fault (after those queued by failNext); undefined ends it. */
  failAlways(method: string, fault: Fault | undefined): void;
  /** Forgets every queued and standing fault. */
  clearFaults(): void;
  /** What `apps.connections.open` returns as the WebSocket URL. */
  setSocketUrl(url: string): void;
  callsOf(method: string): ApiCall[];
  /** Resolves once `predicate` holds for the recorded calls/responses (polls the in-memory log). */
  waitFor<T>(probe: () => T | undefined, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

const BOT_METHODS = new Set(['auth.test', 'users.info', 'chat.postMessage', 'conversations.open', 'conversations.history', 'views.publish', 'views.open']);
const APP_METHODS = new Set(['apps.connections.open']);

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes('application/json')) return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(raw)) {
    // The WebClient JSON-encodes nested values (blocks, attachments) inside form bodies.
    args[k] = (k === 'blocks' || k === 'attachments') && v.startsWith('[') ? JSON.parse(v) : (k === 'metadata' || k === 'view') && v.startsWith('{') ? JSON.parse(v) : v;
  }
  return args;
}

/** A stored message as the history methods show it (metadata only when asked for, as Slack does). */
function shown(m: PostedMessage, withMetadata: boolean) {
  return { type: 'message', user: 'UBOT', bot_id: 'BBOT', ts: m.ts, text: m.text, ...(withMetadata && m.metadata ? { metadata: m.metadata } : {}) };
}

export async function startSlackStandIn(opts: SlackStandInOptions): Promise<SlackStandIn> {
  const users = new Map((opts.users ?? []).map((u) => [u.id, u]));
  const channels = new Map((opts.channels ?? []).map((c) => [c.id, c]));
  const teamId = opts.teamId ?? 'T0PAPER';
  const faults = new Map<string, Fault[]>();
  const always = new Map<string, Fault>();
  const calls: ApiCall[] = [];
  const responses: CapturedResponse[] = [];
  const messages = new Map<string, PostedMessage[]>();
  let socketUrl: string | undefined;
  const scopes = opts.scopes ?? ['commands', 'chat:write', 'im:write', 'users:read'];
  let ts = 1_700_000_000;

  function answer(method: string, args: Record<string, unknown>, token: string | undefined): Record<string, unknown> {
    if (!token) return { ok: false, error: 'not_authed' };
    const isBot = token === opts.botToken;
    const isApp = opts.appToken !== undefined && token === opts.appToken;
    if (!isBot && !isApp) return { ok: false, error: 'invalid_auth' };
    if (BOT_METHODS.has(method) && !isBot) return { ok: false, error: 'not_allowed_token_type' };
    if (APP_METHODS.has(method) && !isApp) return { ok: false, error: 'not_allowed_token_type' };
    switch (method) {
      case 'auth.test':
        return { ok: true, url: 'https://paperboy-test.slack.com/', team: 'Paperboy', user: 'paperboy', team_id: teamId, user_id: 'UBOT', bot_id: 'BBOT' };
      case 'users.info': {
        if (typeof args.user !== 'string' || !args.user) return { ok: false, error: 'user_not_found' };
        const u = users.get(args.user);
        if (!u) return { ok: false, error: 'user_not_found' };
        return { ok: true, user: { id: u.id, team_id: teamId, name: u.id.toLowerCase(), deleted: u.deleted ?? false, is_admin: u.is_admin ?? false, is_owner: u.is_owner ?? false, tz: u.tz ?? 'America/Los_Angeles', is_bot: false } };
      }
      case 'conversations.open': {
        if (typeof args.users !== 'string' || !args.users) return { ok: false, error: 'users_list_not_supplied' };
        const id = args.users.split(',')[0]!;
        const u = users.get(id);
        if (!u) return { ok: false, error: 'user_not_found' };
        if (u.deleted) return { ok: false, error: 'user_disabled' };
        return { ok: true, channel: { id: `D${id}` } };
      }
      case 'chat.postMessage': {
        if (typeof args.channel !== 'string' || !args.channel) return { ok: false, error: 'channel_not_found' };
        if (args.text === undefined && args.blocks === undefined) return { ok: false, error: 'no_text' };
        const problems = messageProblems(args as { text?: unknown; blocks?: unknown });
        if (problems.length > 0) return { ok: false, error: 'invalid_blocks', errors: problems };
        const id = args.channel;
        if (id.startsWith('D')) {
          if (!users.has(id.slice(1))) return { ok: false, error: 'channel_not_found' };
        } else {
          const c = channels.get(id);
          if (!c) return { ok: false, error: 'channel_not_found' };
          if (c.archived) return { ok: false, error: 'is_archived' };
          if (c.member === false) return { ok: false, error: 'not_in_channel' };
        }
        // A reply names its parent, a top-level message of the same channel (as Slack requires).
        const parent = typeof args.thread_ts === 'string' ? args.thread_ts : undefined;
        if (parent !== undefined && !(messages.get(id) ?? []).some((m) => m.ts === parent && !m.thread_ts)) return { ok: false, error: 'thread_not_found' };
        ts += 1;
        const posted: PostedMessage = { ts: `${ts}.000100`, text: args.text, blocks: args.blocks, ...(parent ? { thread_ts: parent } : {}) };
        const meta = args.metadata as PostedMessage['metadata'] | undefined;
        if (meta && typeof meta.event_type === 'string' && meta.event_payload && typeof meta.event_payload === 'object') posted.metadata = meta;
        messages.set(id, [...(messages.get(id) ?? []), posted]);
        return { ok: true, channel: id, ts: posted.ts, message: { text: args.text, blocks: args.blocks } };
      }
      case 'conversations.history': {
        const needed = typeof args.channel === 'string' && args.channel.startsWith('D') ? 'im:history' : channels.get(String(args.channel))?.private ? 'groups:history' : 'channels:history';
        if (!scopes.includes(needed)) return { ok: false, error: 'missing_scope', needed, provided: scopes.join(',') };
        // Newest first, `limit` (default 100) of them; metadata only when asked for, as Slack does.
        const id = typeof args.channel === 'string' ? args.channel : '';
        const known = id.startsWith('D') ? users.has(id.slice(1)) : channels.has(id);
        if (!known) return { ok: false, error: 'channel_not_found' };
        if (!id.startsWith('D') && channels.get(id)?.member === false) return { ok: false, error: 'not_in_channel' };
        const limit = Math.max(1, Math.min(999, Number(args.limit ?? 100) || 100));
        const all = String(args.include_all_metadata) === 'true';
        // Replies stay in their threads; a parent says how many it has.
        const all_ = messages.get(id) ?? [];
        const top = all_.filter((m) => !m.thread_ts);
        const list = [...top].reverse().slice(0, limit);
        return {
          ok: true,
          has_more: top.length > limit,
          messages: list.map((m) => {
            const replies = all_.filter((r) => r.thread_ts === m.ts).length;
            return { ...shown(m, all), ...(replies ? { thread_ts: m.ts, reply_count: replies } : {}) };
          }),
        };
      }
      case 'conversations.replies': {
        const needed = typeof args.channel === 'string' && args.channel.startsWith('D') ? 'im:history' : channels.get(String(args.channel))?.private ? 'groups:history' : 'channels:history';
        if (!scopes.includes(needed)) return { ok: false, error: 'missing_scope', needed, provided: scopes.join(',') };
        const list = messages.get(String(args.channel)) ?? [];
        const parent = list.find((m) => m.ts === args.ts && !m.thread_ts);
        if (!parent) return { ok: false, error: 'thread_not_found' };
        const all = String(args.include_all_metadata) === 'true';
        // The parent first, then its replies oldest first.
        return { ok: true, has_more: false, messages: [parent, ...list.filter((m) => m.thread_ts === parent.ts)].map((m) => ({ ...shown(m, all), thread_ts: parent.ts })) };
      }
      case 'views.publish': {
        if (typeof args.user_id !== 'string' || !users.has(args.user_id)) return { ok: false, error: 'user_not_found' };
        const problems = viewProblems(args.view);
        if ((args.view as { type?: unknown } | undefined)?.type !== 'home') problems.push('views.publish takes a home view');
        if (problems.length > 0) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        return { ok: true, view: { id: `V${++ts}`, ...(args.view as object) } };
      }
      case 'views.open': {
        // A trigger_id is good for 3 seconds and one view; the stand-in only checks it is there.
        if (typeof args.trigger_id !== 'string' || !args.trigger_id) return { ok: false, error: 'invalid_trigger_id' };
        const problems = viewProblems(args.view);
        if ((args.view as { type?: unknown } | undefined)?.type !== 'modal') problems.push('views.open takes a modal');
        if (problems.length > 0) return { ok: false, error: 'invalid_arguments', response_metadata: { messages: problems } };
        return { ok: true, view: { id: `V${++ts}`, ...(args.view as object) } };
      }
      case 'apps.connections.open':
        if (!socketUrl) return { ok: false, error: 'internal_error' };
        return { ok: true, url: socketUrl };
      default:
        return { ok: false, error: 'unknown_method' };
    }
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const raw = await readBody(req);
    if (req.method === 'POST' && url.pathname.startsWith('/response/')) {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        res.writeHead(400).end('invalid_json');
        return;
      }
      const problems = messageProblems(body as { text?: unknown; blocks?: unknown });
      responses.push({ id: url.pathname.slice('/response/'.length), body, problems });
      res.writeHead(problems.length ? 400 : 200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(problems.length ? { ok: false, error: 'invalid_blocks' } : { ok: true }));
      return;
    }
    if (req.method !== 'POST' || !url.pathname.startsWith('/api/')) {
      res.writeHead(404).end();
      return;
    }
    const method = url.pathname.slice('/api/'.length);
    let args: Record<string, unknown>;
    try {
      args = parseArgs(raw, req.headers['content-type']);
    } catch {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error: 'invalid_form_data' }));
      return;
    }
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : typeof args.token === 'string' ? args.token : undefined;
    const call: ApiCall = { method, args, token, at: Date.now(), outcome: 'ok' };
    calls.push(call);
    let fault = faults.get(method)?.shift() ?? always.get(method);
    if (fault && 'pass' in fault) fault = undefined;
    if (fault && 'refuse' in fault) {
      call.outcome = `http_${fault.refuse}`;
      res.writeHead(fault.refuse, { 'content-type': 'text/html' }).end(`<html><body>${fault.refuse} Internal Server Error</body></html>`);
      return;
    }
    if (fault && ('late' in fault || 'reset' in fault || 'status' in fault)) {
      // Taken: the call has its effect (a message is posted) whatever the client hears.
      const body = answer(method, args, token);
      call.outcome = body.ok ? 'ok' : String(body.error);
      if ('reset' in fault) {
        call.outcome += '+reset';
        req.socket.destroy();
        return;
      }
      if ('status' in fault) {
        call.outcome += `+http_${fault.status}`;
        res.writeHead(fault.status, { 'content-type': 'text/html' }).end(`<html><body><h1>${fault.status} Bad Gateway</h1></body></html>`);
        return;
      }
      call.outcome += '+late';
      const lateMs = fault.late;
      await new Promise((r) => setTimeout(r, lateMs));
      if (res.destroyed || req.socket.destroyed) return;
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': scopes.join(',') });
      res.end(JSON.stringify(body));
      return;
    }
    if (fault && 'hold' in fault) {
      await fault.hold.catch(() => undefined);
      fault = undefined;
    }
    if (fault && 'retryAfter' in fault) {
      call.outcome = '429';
      res.writeHead(429, { 'retry-after': String(fault.retryAfter), 'content-type': 'application/json' });
      res.end(JSON.stringify({ ok: false, error: 'ratelimited' }));
      return;
    }
    const body = fault ? { ok: false, error: fault.error } : answer(method, args, token);
    call.outcome = body.ok ? 'ok' : String(body.error);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-oauth-scopes': scopes.join(',') });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiUrl: `${origin}/api/`,
    origin,
    calls,
    responses,
    messages,
    responseUrl: (id) => `${origin}/response/${id}`,
    failNext(method, ...f) {
      faults.set(method, [...(faults.get(method) ?? []), ...f]);
    },
    clearFaults() {
      faults.clear();
      always.clear();
    },
    failAlways(method, f) {
      if (f) always.set(method, f);
      else always.delete(method);
    },
    setSocketUrl(u) {
      socketUrl = u;
    },
    callsOf: (method) => calls.filter((c) => c.method === method),
    async waitFor(probe, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const v = probe();
        if (v !== undefined && v !== false) return v;
        if (Date.now() > deadline) throw new Error(`stand-in: timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
