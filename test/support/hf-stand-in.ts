/**
 * A local stand-in of the Hugging Face Daily Papers API (node:http on 127.0.0.1, port 0).
 *
 * Serves `GET /api/daily_papers?date=YYYY-MM-DD&limit=N&p=K` from the real files in
 * `fixtures/hf/` and from any days handed in by the test, paginated like the
 * real API (default limit 50, max 100, `Link: <...>; rel="next"`). Records every request and lets
 * a test inject a fault per request.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { CORPUS_PATH, HF_DAYS_DIR } from './fixtures.ts';

export interface RecordedRequest {
  method: string;
  /** Path and query as received. */
  url: string;
  date?: string;
  limit?: number;
  page?: number;
  headers: IncomingMessage['headers'];
}

/** What a fault handler can make the stand-in do for one request. */
export type Fault =
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** 429 with Retry-After (seconds) and RateLimit/RateLimit-Policy headers (IETF draft, as HF sends). */
  | { kind: 'rate-limit'; retryAfterSeconds?: number; resetSeconds?: number; body?: string }
  /** The real answer (status 200, same headers) cut after `bytes` characters (default: half). */
  | { kind: 'truncated'; bytes?: number }
  /** Status 200 with this JSON value instead of the day's items (wrong types, objects, ...). */
  | { kind: 'json'; value: unknown }
  /** The real page of items passed through `map` (e.g. a field given the wrong type). */
  | { kind: 'items'; map: (items: unknown[]) => unknown }
  /** Never answers (the socket stays open until close()). */
  | { kind: 'stall' }
  /** Destroys the connection without an answer. */
  | { kind: 'reset' };

/** Called for every request; return a fault to inject it, or undefined to answer normally. */
export type FaultFn = (req: RecordedRequest, index: number) => Fault | undefined;

export interface HfStandInOptions {
  /** Extra days (added to, and overriding, the shared files). */
  days?: Map<string, unknown[]> | Record<string, unknown[]>;
  /** Leave out the shared files (serve only `days`). */
  noSharedFiles?: boolean;
  /**
   * Enforce a fixed-window quota like the real Hub (anonymous: 500 per 300 s): every answer
   * carries `RateLimit`/`RateLimit-Policy`, and requests over the quota get a 429.
   */
  quota?: { limit: number; windowSeconds: number };
  /** Clock of the quota window (default Date.now), so a test can share a fake clock with the client. */
  now?: () => number;
}

export interface HfStandIn {
  /** Base URL, e.g. `http://127.0.0.1:40123` (use as HF_ENDPOINT). */
  url: string;
  close(): Promise<void>;
  requests: RecordedRequest[];
  /** Day -> raw items served; tests may add or change days at any time. */
  days: Map<string, unknown[]>;
  /** Sets the fault handler (replaces any previous one); `fault(undefined)` clears it. */
  fault(fn: FaultFn | undefined): void;
}

/** Reads every `DATE.json` of the Hugging Face fixtures. */
export function loadFixtureDays(): Map<string, unknown[]> {
  const dir = HF_DAYS_DIR;
  const days = new Map<string, unknown[]>();
  for (const name of readdirSync(dir)) {
    const m = /^(\d{4}-\d{2}-\d{2})\.json$/.exec(name);
    if (!m?.[1]) continue;
    days.set(m[1], JSON.parse(readFileSync(join(dir, name), 'utf8')) as unknown[]);
  }
  return days;
}

/**
 * Day -> raw items of the corpus fixture (`hf-daily-papers-corpus.jsonl.gz`, 558 days), in file
 * order, for `startHfStandIn({ days: loadCorpusDays() })`. Reads the whole file (~48 MB unzipped).
 */
export function loadCorpusDays(): Map<string, unknown[]> {
  const text = gunzipSync(readFileSync(CORPUS_PATH)).toString('utf8');
  const days = new Map<string, unknown[]>();
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    const { date, item } = JSON.parse(line) as { date: string; item: unknown };
    const list = days.get(date);
    if (list) list.push(item);
    else days.set(date, [item]);
  }
  return days;
}

function intParam(v: string | null): number | undefined {
  if (v === null || !/^\d+$/.test(v)) return undefined;
  return Number(v);
}

export async function startHfStandIn(opts: HfStandInOptions = {}): Promise<HfStandIn> {
  const days = opts.noSharedFiles ? new Map<string, unknown[]>() : loadFixtureDays();
  if (opts.days) {
    const extra = opts.days instanceof Map ? opts.days : new Map(Object.entries(opts.days));
    for (const [d, items] of extra) days.set(d, items);
  }
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let faultFn: FaultFn | undefined;
  const now = opts.now ?? Date.now;
  let windowStart = now();
  let used = 0;
  /** Counts a request against the quota; the headers to send, and whether it is over. */
  const quota = (): { headers: Record<string, string>; over: boolean; resetSeconds: number } => {
    if (!opts.quota) return { headers: {}, over: false, resetSeconds: 0 };
    const { limit, windowSeconds } = opts.quota;
    if (now() - windowStart >= windowSeconds * 1000) {
      windowStart = now();
      used = 0;
    }
    used++;
    const resetSeconds = Math.max(1, Math.ceil((windowStart + windowSeconds * 1000 - now()) / 1000));
    return {
      over: used > limit,
      resetSeconds,
      headers: {
        ratelimit: `"api";r=${Math.max(0, limit - used)};t=${resetSeconds}`,
        'ratelimit-policy': `"fixed window";"api";q=${limit};w=${windowSeconds}`,
      },
    };
  };

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    const rec: RecordedRequest = {
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      date: u.searchParams.get('date') ?? undefined,
      limit: intParam(u.searchParams.get('limit')),
      page: intParam(u.searchParams.get('p')),
      headers: req.headers,
    };
    const index = requests.push(rec) - 1;
    const q = quota();
    if (q.over) {
      res.writeHead(429, { 'content-type': 'text/plain; charset=utf-8', 'retry-after': String(q.resetSeconds), ...q.headers });
      return res.end('Too Many Requests');
    }
    const fault = faultFn?.(rec, index);
    if (fault && fault.kind !== 'truncated' && fault.kind !== 'items') return applyFault(fault, req, res);
    if (req.method !== 'GET' || u.pathname !== '/api/daily_papers') {
      return send(res, 404, { error: 'Sorry, we can\'t find the page you are looking for.' });
    }
    const date = rec.date;
    if (date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      return send(res, 400, { error: '"date" must be a date in YYYY-MM-DD format' });
    }
    const limit = Math.min(Math.max(rec.limit ?? 50, 1), 100);
    const page = rec.page ?? 0;
    const all = (date ? days.get(date) : undefined) ?? [];
    const slice = all.slice(page * limit, (page + 1) * limit);
    const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8', ...q.headers };
    if ((page + 1) * limit < all.length) {
      const next = new URL(`${address()}/api/daily_papers`);
      if (date) next.searchParams.set('date', date);
      next.searchParams.set('p', String(page + 1));
      next.searchParams.set('limit', String(limit));
      headers.link = `<${next.toString()}>; rel="next"`;
    }
    let body = JSON.stringify(fault?.kind === 'items' ? fault.map(structuredClone(slice)) : slice);
    if (fault?.kind === 'truncated') body = body.slice(0, fault.bytes ?? Math.floor(body.length / 2));
    res.writeHead(200, headers);
    res.end(body);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok());
  });
  const address = () => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: address(),
    requests,
    days,
    fault(fn) {
      faultFn = fn;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}

function send(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

function applyFault(f: Fault, req: IncomingMessage, res: ServerResponse): void {
  switch (f.kind) {
    case 'status':
      res.writeHead(f.status, { 'content-type': f.contentType ?? 'text/html; charset=utf-8', ...f.headers });
      res.end(f.body ?? `<!DOCTYPE html><html><head><title>${f.status}</title></head><body><h1>Error ${f.status}</h1></body></html>`);
      return;
    case 'rate-limit': {
      const retry = f.retryAfterSeconds ?? 1;
      const reset = f.resetSeconds ?? retry;
      res.writeHead(429, {
        'content-type': 'text/plain; charset=utf-8',
        'retry-after': String(retry),
        ratelimit: `"api";r=0;t=${reset}`,
        'ratelimit-policy': '"fixed window";"api";q=500;w=300',
      });
      res.end(f.body ?? 'Too Many Requests');
      return;
    }
    case 'json':
      send(res, 200, f.value);
      return;
    case 'truncated':
    case 'items':
      return; // answered from the real data by the request handler
    case 'stall':
      // Keep the socket open; close() destroys it.
      req.socket.setTimeout(0);
      return;
    case 'reset':
      req.socket.destroy();
      return;
  }
}
