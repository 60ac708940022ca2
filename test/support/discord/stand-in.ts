/**
 * A local Discord for tests: HTTP API under /api/v10 and a WebSocket gateway on one loopback port.
 * A real discord.js Client logs in against it. Every JSON body is validated against Discord's
 * OpenAPI description and this project's message rules; violations land in `invalid`.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EventEmitter } from 'node:events';
import { validateQuery, validateRequest, warmValidators } from './openapi-validator.ts';
import { messagePart, messageProblems } from './checks.ts';
import { StandInGateway } from './gateway.ts';
import { routeRequest, type RouteState } from './routes.ts';
import { messageObject, user, ChannelType, type GuildSetup, type UserObject } from './fixtures.ts';

export interface RecordedRequest {
  method: string;
  /** Path below /api/v10, e.g. `/channels/1/messages`. */
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: unknown;
  template?: string;
  status?: number;
}

export interface Failure {
  status: number;
  code?: number;
  message?: string;
  /** Seconds, sent as Retry-After and `retry_after` on a 429. */
  retryAfter?: number;
  global?: boolean;
}

interface FailureRule extends Failure {
  method?: string;
  path: RegExp;
  times: number;
}

/**
 * A request taken (it has its effect: the message is posted) whose answer goes wrong: `late` comes
 * after that many ms (past the client's timeout), `reset` never comes (the connection is destroyed),
 * `status` is a proxy's error page (502) instead of Discord's answer.
 */
export type TakenFault = { late: number } | { reset: true } | { status: number };

interface TakenRule {
  method?: string;
  path: RegExp;
  times: number;
  /** Matching requests to let through first (to hit the third part of a digest). */
  skip: number;
  fault: TakenFault | { refuse: number };
}

export interface StandInOptions {
  token?: string;
  applicationId?: string;
  guilds?: GuildSetup[];
  /** Users whose DMs are closed: messages to their DM channel fail with 50007. */
  dmClosed?: string[];
}

export const DEFAULT_GUILD: GuildSetup = {
  id: '100000000000000001',
  name: 'Paper Lab',
  channels: [
    { id: '200000000000000001', type: ChannelType.GuildText, name: 'papers' },
    { id: '200000000000000002', type: ChannelType.GuildAnnouncement, name: 'announcements' },
    { id: '200000000000000003', type: ChannelType.GuildForum, name: 'reading-group' },
  ],
};

export class DiscordStandIn extends EventEmitter {
  readonly token: string;
  readonly applicationId: string;
  readonly bot: UserObject;
  readonly requests: RecordedRequest[] = [];
  /** Requests that broke the OpenAPI description or the message rules; tests assert it stays empty. */
  readonly invalid: { method: string; path: string; errors: string[] }[] = [];
  readonly state: RouteState;
  gateway!: StandInGateway;
  private server!: Server;
  private failures: FailureRule[] = [];
  private taken: TakenRule[] = [];
  private queued: { method?: string; path: RegExp; faults: (TakenFault | { refuse: number } | undefined)[] }[] = [];

  constructor(opts: StandInOptions = {}) {
    super();
    this.token = opts.token ?? 'stand-in-token';
    this.applicationId = opts.applicationId ?? '900000000000000001';
    this.bot = user('900000000000000099', 'Paperboy', true);
    const guilds = opts.guilds ?? [DEFAULT_GUILD];
    this.state = {
      applicationId: this.applicationId, bot: this.bot, guilds, dmClosed: new Set(opts.dmClosed ?? []),
      commands: new Map(), messages: new Map(), history: new Map(), channels: new Map(), interactions: new Map(), gatewayUrl: () => this.gatewayUrl,
    };
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }
  /** What DISCORD_API_URL should be: the base without version. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }
  get gatewayUrl(): string {
    return `ws://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    warmValidators();
    this.server = createServer((req, res) => void this.onRequest(req, res));
    this.gateway = new StandInGateway(this.server, {
      token: this.token, applicationId: this.applicationId, bot: this.bot, guilds: this.state.guilds, url: () => this.gatewayUrl,
    });
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  async close(): Promise<void> {
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** A message someone else posted (a member, another bot), as history shows it; returns it. */
  seedMessage(channelId: string, author: UserObject, body: { content?: string; embeds?: Record<string, unknown>[] }): Record<string, unknown> {
    const message = messageObject(channelId, author, body);
    const list = this.state.history.get(channelId) ?? [];
    list.push(message);
    this.state.history.set(channelId, list);
    return message;
  }

  /** The next `times` requests matching `path` (and `method`) fail as given, without being taken. */
  fail(match: { method?: string; path: RegExp }, failure: Failure, times = 1): void {
    this.failures.push({ ...failure, ...match, times });
  }

  /**
   * After `skip` matching requests, the next `times` (Infinity: all) are taken, then answered as
   * `fault` says; `{ refuse: status }` answers that status without taking them.
   */
  takeThen(match: { method?: string; path: RegExp }, fault: TakenFault | { refuse: number }, times = 1, skip = 0): void {
    this.taken.push({ ...match, fault, times, skip });
  }

  /** Matching requests meet these faults in order, one each (`undefined`: answered normally). */
  queue(match: { method?: string; path: RegExp }, faults: (TakenFault | { refuse: number } | undefined)[]): void {
    this.queued.push({ ...match, faults: [...faults] });
  }

  /** Ends every takeThen rule and queue (the platform is well again). */
  heal(): void {
    this.taken = [];
    this.queued = [];
  }

  /** Resolves with the first recorded request (past or future) that satisfies `pred`. */
  waitForRequest(pred: (r: RecordedRequest) => boolean, timeoutMs = 10_000): Promise<RecordedRequest> {
    const found = this.requests.find(pred);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.off('request', on);
        reject(new Error(`stand-in: no matching request within ${timeoutMs} ms; saw ${this.requests.map((r) => `${r.method} ${r.path}`).join(', ')}`));
      }, timeoutMs);
      const on = (r: RecordedRequest): void => {
        if (!pred(r)) return;
        clearTimeout(timer);
        this.off('request', on);
        resolve(r);
      };
      this.on('request', on);
    });
  }

  private async onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const method = req.method ?? 'GET';
    // discord.js percent-encodes `@original`; Discord decodes paths before routing.
    const pathname = decodeURIComponent(url.pathname);
    const path = pathname.startsWith('/api/v10/') ? pathname.slice('/api/v10'.length) : pathname;
    let body: unknown;
    if (raw.length > 0) {
      if (!String(req.headers['content-type']).startsWith('application/json')) {
        this.invalid.push({ method, path, errors: [`unexpected content-type ${String(req.headers['content-type'])}`] });
      } else {
        try {
          body = JSON.parse(raw);
        } catch {
          this.invalid.push({ method, path, errors: ['body is not JSON'] });
        }
      }
    }
    const rec: RecordedRequest = { method, path, query: url.searchParams, headers: req.headers, body };
    if (!pathname.startsWith('/api/v10/')) {
      this.invalid.push({ method, path, errors: ['request outside /api/v10'] });
      return this.reply(rec, res, 404, { message: '404: Not Found', code: 0 });
    }
    const v = validateRequest(method, path, body);
    rec.template = v.template;
    const errors = [...v.errors, ...validateQuery(method, path, url.searchParams)];
    if (v.template && body && typeof body === 'object' && !Array.isArray(body)) {
      const msg = messagePart(v.template, body as Record<string, unknown>);
      if (msg) errors.push(...messageProblems(msg));
    }
    if (errors.length > 0) this.invalid.push({ method, path, errors });
    if (req.headers.authorization !== `Bot ${this.token}` && !path.startsWith('/interactions/') && !path.startsWith('/webhooks/')) {
      return this.reply(rec, res, 401, { message: '401: Unauthorized', code: 0 });
    }
    const rule = this.failures.find((f) => f.times > 0 && f.path.test(path) && (!f.method || f.method === method));
    if (rule) {
      rule.times -= 1;
      return this.replyFailure(rec, res, rule);
    }
    if (errors.length > 0) return this.reply(rec, res, 400, { message: 'Invalid Form Body', code: 50035, errors });
    const q = this.queued.find((f) => f.faults.length > 0 && f.path.test(path) && (!f.method || f.method === method));
    const taken = q ? undefined : this.taken.find((f) => f.times > 0 && f.path.test(path) && (!f.method || f.method === method) && (f.skip-- <= 0));
    if (taken) taken.times -= 1;
    const fault = q ? q.faults.shift() : taken?.fault;
    if (fault && 'refuse' in fault) {
      return this.reply(rec, res, fault.refuse, { message: '500: Internal Server Error', code: 0 });
    }
    const out = routeRequest(this.state, method, path, url.searchParams, body);
    if (fault) return this.answerTaken(rec, req, res, out, fault);
    this.reply(rec, res, out.status, out.body);
  }

  private async answerTaken(rec: RecordedRequest, req: IncomingMessage, res: ServerResponse, out: { status: number; body?: unknown }, fault: TakenFault): Promise<void> {
    if ('reset' in fault) {
      rec.status = -1;
      this.requests.push(rec);
      req.socket.destroy();
      this.emit('request', rec);
      return;
    }
    if ('status' in fault) {
      rec.status = fault.status;
      this.requests.push(rec);
      res.writeHead(fault.status, { 'content-type': 'text/html' }).end(`<html><body><h1>${fault.status} Bad Gateway</h1></body></html>`);
      this.emit('request', rec);
      return;
    }
    // Taken now: recorded now (status 0 until the late answer goes out, -1 if nobody is left to hear it).
    rec.status = 0;
    this.requests.push(rec);
    this.emit('request', rec);
    await new Promise((r) => setTimeout(r, fault.late));
    if (res.destroyed || req.socket.destroyed) {
      rec.status = -1;
      return;
    }
    rec.status = out.status;
    res.writeHead(out.status, { 'content-type': 'application/json' }).end(JSON.stringify(out.body));
  }

  private replyFailure(rec: RecordedRequest, res: ServerResponse, f: Failure): void {
    const headers: Record<string, string> = {};
    if (f.status === 429) {
      headers['Retry-After'] = String(f.retryAfter ?? 1);
      headers['X-RateLimit-Scope'] = f.global ? 'global' : 'user';
      if (f.global) headers['X-RateLimit-Global'] = 'true';
    }
    const body = f.status === 429
      ? { message: 'You are being rate limited.', retry_after: f.retryAfter ?? 1, global: Boolean(f.global), code: 0 }
      : { message: f.message ?? 'Failure', code: f.code ?? 0 };
    this.reply(rec, res, f.status, body, headers);
  }

  private reply(rec: RecordedRequest, res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
    rec.status = status;
    this.requests.push(rec);
    if (status === 204 || body === undefined) {
      // Discord answers interaction callbacks with 204 and no content-type.
      res.writeHead(status === 200 ? 204 : status, headers).end();
    } else {
      res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
    }
    this.emit('request', rec);
  }
}

export async function startDiscordStandIn(opts: StandInOptions = {}): Promise<DiscordStandIn> {
  return new DiscordStandIn(opts).start();
}
