/**
 * The arXiv source: the announcement feed of some categories (`{rssUrl}/rss/A+B`) and the export
 * API by `id_list` (`{apiUrl}/query`), within arXiv's rules: every request paced (pacer.ts),
 * conditional GETs so an unchanged feed costs a 304, 429/503 `Retry-After` waited out within bounds,
 * and a User-Agent that names Paperboy and a contact.
 */
import { PaperboyError } from '../../model/errors.ts';
import { silentLogger, type Logger } from '../../ports.ts';
import { backoffMs, sleep as abortableSleep } from '../../wait.ts';
import { describeBody, readCapped, waitHintMs } from '../hf/http.ts';
import { parseApiFeed, type ApiEntry } from './atom.ts';
import { Pacer } from './pacer.ts';
import { parseAnnouncement, type Announcement } from './rss.ts';

export interface ArxivSourceOptions {
  /** `ARXIV_RSS_URL`, e.g. `https://rss.arxiv.org`. */
  rssUrl: string;
  /** `ARXIV_API_URL`, e.g. `https://export.arxiv.org/api`. */
  apiUrl: string;
  /** `ARXIV_CONTACT`: an e-mail or URL arXiv can reach the operator at. */
  contact?: string;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  /** Gap between one request's end and the next one's start (arXiv: 3 s; tests that do not test pacing shorten it). */
  intervalMs?: number;
  /** Retries after the first try (default 3). */
  maxRetries?: number;
  /** Longest `Retry-After` waited out; longer fails at once (default 60 s). */
  maxWaitMs?: number;
  timeoutMs?: number;
  maxBodyBytes?: number;
  /** Ids per export API request (default 100). */
  batchSize?: number;
}

export type FeedResult = { unchanged: true } | { unchanged: false; announcement: Announcement };

export interface ArxivSource {
  /** The current announcement of `categories`; `unchanged` when arXiv answered 304 to our validators. */
  fetchAnnouncement(categories: string[], signal?: AbortSignal): Promise<FeedResult>;
  /** Export API records of `ids` (new-style ids, no versions), in batches. */
  lookup(ids: string[], signal?: AbortSignal): Promise<ApiEntry[]>;
  /** For doctor: whether the feed host answers (one paced request). */
  ping(signal?: AbortSignal): Promise<string>;
}

export const ARXIV_INTERVAL_MS = 3_000;

export function arxivUserAgent(contact?: string): string {
  const who = contact?.trim() ? `; ${contact.includes('@') && !contact.startsWith('mailto:') ? `mailto:${contact.trim()}` : contact.trim()}` : '';
  return `Paperboy/0.1 (research-paper bot for Discord and Slack${who})`;
}

interface Got {
  status: number;
  body: string;
  headers: Headers;
}

export function createArxivSource(opts: ArxivSourceOptions): ArxivSource {
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const logger = opts.logger ?? silentLogger;
  const sleep = opts.sleep ?? abortableSleep;
  const now = opts.now ?? Date.now;
  const pacer = new Pacer(opts.intervalMs ?? ARXIV_INTERVAL_MS, sleep, now);
  const maxRetries = Math.max(0, opts.maxRetries ?? 3);
  const maxWaitMs = opts.maxWaitMs ?? 60_000;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxBodyBytes = opts.maxBodyBytes ?? 32 * 1024 * 1024;
  const batchSize = Math.max(1, Math.min(opts.batchSize ?? 100, 2000));
  const rss = opts.rssUrl.replace(/\/+$/, '');
  const api = opts.apiUrl.replace(/\/+$/, '');
  const userAgent = arxivUserAgent(opts.contact);
  /** Validators of the last good answer per URL, with that answer. */
  const validators = new Map<string, { etag?: string; lastModified?: string }>();

  async function once(url: string, conditional: boolean, signal?: AbortSignal): Promise<Got> {
    const headers: Record<string, string> = { 'user-agent': userAgent, accept: 'application/rss+xml, application/atom+xml, application/xml;q=0.9, */*;q=0.1' };
    const v = conditional ? validators.get(url) : undefined;
    if (v?.etag) headers['if-none-match'] = v.etag;
    if (v?.lastModified) headers['if-modified-since'] = v.lastModified;
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    try {
      const res = await fetchFn(url, { headers, signal: combined });
      const read = await readCapped(res, maxBodyBytes);
      if ('tooLarge' in read) throw new PaperboyError('upstream', `arXiv answered ${url} with more than ${maxBodyBytes} bytes.`);
      return { status: res.status, body: read.text, headers: res.headers };
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (e instanceof PaperboyError) throw e;
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const detail = timeout.aborted ? `no answer within ${timeoutMs} ms` : `the connection failed (${cause?.code ?? cause?.message ?? (e as Error).message})`;
      return { status: 0, body: detail, headers: new Headers() };
    }
  }

  /** One paced GET with bounded retries; resolves with a 2xx, 304 or 400 answer (400 carries the API's error feed). */
  async function get(url: string, what: string, conditional: boolean, signal?: AbortSignal): Promise<Got> {
    for (let attempt = 0; ; attempt++) {
      const got = await pacer.run(() => once(url, conditional, signal), signal);
      if ((got.status >= 200 && got.status < 300) || got.status === 304 || got.status === 400) {
        if (got.status >= 200 && got.status < 300 && conditional) {
          const etag = got.headers.get('etag') ?? undefined;
          const lastModified = got.headers.get('last-modified') ?? undefined;
          if (etag || lastModified) validators.set(url, { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) });
        }
        return got;
      }
      const problem = got.status === 0 ? got.body : `HTTP ${got.status} with ${describeBody(got.body, got.headers.get('content-type'))}`;
      const retryable = got.status === 0 || got.status === 429 || got.status >= 500;
      const hint = waitHintMs(got.headers, now());
      if (!retryable) throw new PaperboyError('upstream', `${what} failed: ${problem}.`);
      if (hint !== undefined && hint > maxWaitMs) {
        throw new PaperboyError('upstream', `${what} failed: ${problem}; arXiv asks to wait ${Math.ceil(hint / 1000)} s, longer than the ${Math.round(maxWaitMs / 1000)} s allowed.`, 'Try again later; stored papers still work.');
      }
      if (attempt >= maxRetries) {
        throw new PaperboyError('upstream', `${what} failed after ${attempt + 1} tries: ${problem}.`, 'arXiv may be down or unreachable; stored papers still work.');
      }
      // The pacer's interval comes on top: a Retry-After is never shortened.
      const waitMs = hint ?? backoffMs(attempt, 2_000, 30_000, Math.random);
      logger.warn({ url, attempt: attempt + 1, waitMs, problem }, 'arXiv request failed; retrying');
      await sleep(waitMs, signal);
    }
  }

  return {
    async fetchAnnouncement(categories, signal) {
      if (categories.length === 0) throw new PaperboyError('usage', 'Name at least one arXiv category to fetch.');
      const url = `${rss}/rss/${categories.join('+')}`;
      const what = `The arXiv feed of ${categories.join(', ')}`;
      const got = await get(url, what, true, signal);
      if (got.status === 304) return { unchanged: true };
      if (got.status === 400) throw new PaperboyError('upstream', `${what} failed: HTTP 400 with ${describeBody(got.body, got.headers.get('content-type'))}.`);
      return { unchanged: false, announcement: parseAnnouncement(got.body, what) };
    },

    async lookup(ids, signal) {
      const out: ApiEntry[] = [];
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += batchSize) {
        const batch = unique.slice(i, i + batchSize);
        const url = `${api}/query?id_list=${batch.map(encodeURIComponent).join(',')}&start=0&max_results=${batch.length}`;
        const got = await get(url, `The arXiv export API (${batch.length} ids from ${batch[0]})`, false, signal);
        out.push(...parseApiFeed(got.body, `The arXiv export API (${batch.length} ids from ${batch[0]})`).entries);
      }
      return out;
    },

    async ping(signal) {
      const got = await get(`${rss}/rss/cs.CL`, 'The arXiv feed', true, signal);
      return got.status === 304 ? 'feed unchanged (304)' : `feed answered HTTP ${got.status}`;
    },
  };
}
