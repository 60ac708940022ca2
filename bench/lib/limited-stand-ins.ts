/**
 * Local Discord and Slack APIs that enforce the platforms' rate limits and answer 429 when a
 * client exceeds them, counting what arrived (per channel, so lost and duplicated messages show).
 *
 * Discord: 50 requests/s for the whole bot (a token bucket of 50 refilled at 50/s) and a bucket of
 * 5 messages per 5 s per channel, announced with X-RateLimit-* headers as Discord does.
 * Slack: chat.postMessage at most once per second per channel, and a workspace token bucket
 * (burst, then a sustained rate). Only what the delivery path calls is served.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

class Bucket {
  private tokens: number;
  private at = performance.now();
  constructor(private readonly capacity: number, private readonly perSecond: number) {
    this.tokens = capacity;
  }
  private refill(): void {
    const now = performance.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.at) / 1000) * this.perSecond);
    this.at = now;
  }
  /** Takes a token, or returns the seconds until one is there. */
  take(): number {
    this.refill();
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return (1 - this.tokens) / this.perSecond;
  }
}

export interface Tally {
  requests: number;
  /** Requests answered with success (counted against the limits: the floor is computed from them). */
  accepted: number;
  rateLimited: number;
  /** Message bodies received per channel (hash -> count). */
  messages: Map<string, Map<string, number>>;
  firstAt?: number;
  lastAt?: number;
}

const newTally = (): Tally => ({ requests: 0, accepted: 0, rateLimited: 0, messages: new Map() });

function record(t: Tally, channel: string, body: string): void {
  const h = createHash('sha1').update(body).digest('hex');
  const m = t.messages.get(channel) ?? new Map<string, number>();
  m.set(h, (m.get(h) ?? 0) + 1);
  t.messages.set(channel, m);
}

/** Channels that got nothing, and messages that arrived more than once. */
export function lostAndDuplicated(t: Tally, channels: string[]): { lost: number; duplicated: number; messages: number } {
  let duplicated = 0;
  let messages = 0;
  for (const m of t.messages.values()) for (const n of m.values()) (messages += n), (duplicated += n - 1);
  return { lost: channels.filter((c) => !t.messages.has(c)).length, duplicated, messages };
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface LimitedServer {
  url: string;
  tally: Tally;
  close(): Promise<void>;
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => Promise<unknown>): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    handler(req, res).catch(() => res.writeHead(500).end());
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port };
}

async function shut(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

export async function startLimitedDiscord(opts: { token: string; globalPerSecond?: number; perChannel?: number; perChannelWindowS?: number }): Promise<LimitedServer> {
  const tally = newTally();
  const global = new Bucket(opts.globalPerSecond ?? 50, opts.globalPerSecond ?? 50);
  const limit = opts.perChannel ?? 5;
  const windowS = opts.perChannelWindowS ?? 5;
  const channels = new Map<string, { remaining: number; resetAt: number }>();
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
  const { server, port } = await listen(async (req, res) => {
    const body = await readBody(req);
    const now = performance.now();
    tally.requests++;
    tally.firstAt ??= now;
    tally.lastAt = now;
    if (req.headers.authorization !== `Bot ${opts.token}`) return json(res, 401, { message: '401: Unauthorized', code: 0 });
    const wait = global.take();
    if (wait > 0) {
      tally.rateLimited++;
      const s = Math.max(0.001, wait).toFixed(3);
      return json(res, 429, { message: 'You are being rate limited.', retry_after: Number(s), global: true, code: 0 },
        { 'retry-after': String(Math.ceil(wait)), 'x-ratelimit-global': 'true', 'x-ratelimit-scope': 'global' });
    }
    const m = /^\/api\/v10\/channels\/(\d+)(\/messages)?$/.exec(req.url ?? '');
    if (!m) return json(res, 404, { message: '404: Not Found', code: 0 });
    const id = m[1]!;
    if (req.method === 'GET' && !m[2]) return (tally.accepted++, json(res, 200, { id, type: 0, name: `papers-${id}`, guild_id: '1', position: 0, flags: 0 }));
    if (req.method !== 'POST' || !m[2]) return json(res, 405, { message: '405: Method Not Allowed', code: 0 });
    let b = channels.get(id);
    if (!b || now >= b.resetAt) channels.set(id, (b = { remaining: limit, resetAt: now + windowS * 1000 }));
    const resetAfter = (b.resetAt - now) / 1000;
    const headers = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-reset-after': resetAfter.toFixed(3),
      'x-ratelimit-reset': ((Date.now() + resetAfter * 1000) / 1000).toFixed(3),
      'x-ratelimit-bucket': `channel-messages`,
    };
    if (b.remaining <= 0) {
      tally.rateLimited++;
      return json(res, 429, { message: 'You are being rate limited.', retry_after: Number(resetAfter.toFixed(3)), global: false, code: 0 },
        { ...headers, 'x-ratelimit-remaining': '0', 'retry-after': String(Math.ceil(resetAfter)), 'x-ratelimit-scope': 'user' });
    }
    b.remaining--;
    tally.accepted++;
    record(tally, id, body);
    return json(res, 200, { id: `${Date.now()}${tally.accepted}`, channel_id: id, content: '', embeds: [], type: 0 }, { ...headers, 'x-ratelimit-remaining': String(b.remaining) });
  });
  return { url: `http://127.0.0.1:${port}/api`, tally, close: () => shut(server) };
}

export async function startLimitedSlack(opts: { token: string; burst?: number; perSecond?: number; channelGapMs?: number }): Promise<LimitedServer> {
  const tally = newTally();
  const workspace = new Bucket(opts.burst ?? 100, opts.perSecond ?? 50);
  const gap = opts.channelGapMs ?? 1000;
  const lastPost = new Map<string, number>();
  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) =>
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
  const { server, port } = await listen(async (req, res) => {
    const raw = await readBody(req);
    const now = performance.now();
    tally.requests++;
    tally.firstAt ??= now;
    tally.lastAt = now;
    const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0];
    if (req.headers.authorization !== `Bearer ${opts.token}`) return json(res, 200, { ok: false, error: 'not_authed' });
    if (method !== 'chat.postMessage') return json(res, 200, { ok: false, error: 'unknown_method' });
    const form = String(req.headers['content-type']).includes('json') ? (JSON.parse(raw) as Record<string, string>) : Object.fromEntries(new URLSearchParams(raw));
    const channel = String(form.channel ?? '');
    const since = now - (lastPost.get(channel) ?? -Infinity);
    const wait = since < gap ? (gap - since) / 1000 : workspace.take();
    if (wait > 0) {
      tally.rateLimited++;
      return json(res, 429, { ok: false, error: 'ratelimited' }, { 'retry-after': String(Math.max(1, Math.ceil(wait))) });
    }
    lastPost.set(channel, now);
    tally.accepted++;
    record(tally, channel, `${form.text}\n${form.blocks}`);
    return json(res, 200, { ok: true, channel, ts: `${Math.floor(Date.now() / 1000)}.${String(tally.accepted).padStart(6, '0')}`, message: { text: form.text } });
  });
  return { url: `http://127.0.0.1:${port}/api/`, tally, close: () => shut(server) };
}
