/**
 * The Hugging Face Daily Papers source: `GET {baseUrl}/api/daily_papers?date=D&limit=100`,
 * following `Link: rel="next"`, with bounded retries on timeouts, 429, 5xx and bad bodies.
 */
import { PaperboyError } from '../../model/errors.ts';
import type { Paper } from '../../model/paper.ts';
import { silentLogger, type Logger, type PaperSource } from '../../ports.ts';
import { backoffMs, retry, sleep as abortableSleep } from '../../wait.ts';
import { describeBody, nextLink, quotaExhaustedMs, readCapped, waitHintMs } from './http.ts';
import { normaliseDay } from './normalise.ts';

export interface HfSourceOptions {
  /** The Hub's base URL (`HF_ENDPOINT`), e.g. `https://huggingface.co`. */
  baseUrl: string;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
  /** Injected so tests do not wait; must reject when `signal` aborts. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Retries after the first try (default 4, so 5 tries). */
  maxRetries?: number;
  /** Per request, headers and body together (default 20 s). */
  timeoutMs?: number;
  /** Longest single wait; a 429 asking for more fails at once rather than retry too early (default 60 s). */
  maxWaitMs?: number;
  /** Backoff base and cap (default 1 s doubling, at most 30 s), with jitter. */
  backoffBaseMs?: number;
  backoffCapMs?: number;
  random?: () => number;
  /** Guard against a Link loop (default 50 pages of 100). */
  maxPages?: number;
  userAgent?: string;
  /** Clock for quota pauses (default Date.now). */
  now?: () => number;
  /** Largest response body read (default 8 MB; a real page of 100 papers is about 0.5 MB). */
  maxBodyBytes?: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function isRealDay(day: string): boolean {
  if (!DAY.test(day)) return false;
  const d = new Date(`${day}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === day;
}

function mib(bytes: number): string {
  return `${Math.round((bytes / 1048576) * 10) / 10} MB`;
}

interface Failure {
  what: string;
  retryable: boolean;
  /** Server-requested wait (Retry-After / RateLimit), ms. */
  waitMs?: number;
  cause?: unknown;
}

/** One failed try, carried from the attempt to the retry decision. */
class AttemptFailed extends Error {
  constructor(readonly failure: Failure) {
    super(failure.what);
  }
}

export function createHfSource(opts: HfSourceOptions): PaperSource {
  const fetchFn = opts.fetch ?? globalThis.fetch;
  const logger = opts.logger ?? silentLogger;
  const sleep = opts.sleep ?? abortableSleep;
  const maxRetries = Math.max(0, opts.maxRetries ?? 4);
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const maxWaitMs = opts.maxWaitMs ?? 60_000;
  const baseMs = opts.backoffBaseMs ?? 1_000;
  const capMs = opts.backoffCapMs ?? 30_000;
  const random = opts.random ?? Math.random;
  const maxPages = opts.maxPages ?? 50;
  const now = opts.now ?? Date.now;
  const maxBodyBytes = opts.maxBodyBytes ?? 8 * 1024 * 1024;
  /** Set when a response said the quota is used up: the next request waits until then. */
  let quotaResetAt = 0;
  const endpoint = `${opts.baseUrl.replace(/\/+$/, '')}/api/daily_papers`;
  const headers = { accept: 'application/json', 'user-agent': opts.userAgent ?? 'paperboy/0.1 (Hugging Face Daily Papers bot)' };

  async function tryOnce(url: string, signal?: AbortSignal): Promise<{ items: unknown[]; next?: string } | Failure> {
    const timeout = AbortSignal.timeout(timeoutMs);
    const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
    let res: Response;
    let body: string;
    try {
      res = await fetchFn(url, { headers, signal: combined });
      const read = await readCapped(res, maxBodyBytes);
      // An endless or giant body is not a page of papers; reading it again would not help.
      if ('tooLarge' in read) return { what: `HTTP ${res.status} with a body larger than the ${mib(maxBodyBytes)} allowed (stopped reading at ${mib(read.tooLarge)})`, retryable: false };
      body = read.text;
    } catch (e) {
      if (signal?.aborted) throw signal.reason;
      if (timeout.aborted) return { what: `no answer within ${timeoutMs} ms`, retryable: true, cause: e };
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      const detail = cause?.code ?? cause?.message ?? (e as Error).message;
      return { what: `the connection failed (${detail})`, retryable: true, cause: e };
    }
    const contentType = res.headers.get('content-type');
    if (res.ok) {
      // A 429 is waited out by the retry; this only spares the *next* request a 429.
      const exhausted = quotaExhaustedMs(res.headers);
      if (exhausted !== undefined) quotaResetAt = now() + Math.min(exhausted, maxWaitMs);
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch (e) {
        return { what: `HTTP ${res.status} with ${describeBody(body, contentType)}`, retryable: true, cause: e };
      }
      if (!Array.isArray(value)) return { what: `HTTP ${res.status} with ${describeBody(body, contentType)} instead of a list`, retryable: true };
      return { items: value, next: nextLink(res.headers.get('link'), url) };
    }
    const what = `HTTP ${res.status}${res.status === 429 ? ' (rate limited)' : ''} with ${describeBody(body, contentType)}`;
    const retryable = res.status === 429 || res.status === 408 || res.status >= 500;
    return { what, retryable, waitMs: waitHintMs(res.headers, now()) };
  }

  async function getPage(day: string, url: string, signal?: AbortSignal): Promise<{ items: unknown[]; next?: string }> {
    const tries = maxRetries + 1;
    const prefix = `Hugging Face Daily Papers for ${day}`;
    const attempt = async () => {
      const pause = quotaResetAt - now();
      if (pause > 0) {
        logger.info({ day, waitMs: pause }, 'Hugging Face quota used up; pausing until it resets');
        await sleep(pause, signal);
        quotaResetAt = 0;
      }
      const r = await tryOnce(url, signal);
      if ('what' in r) throw new AttemptFailed(r);
      return r;
    };
    return retry(attempt, (err, failures) => {
      if (!(err instanceof AttemptFailed)) throw err;
      const r = err.failure;
      if (!r.retryable) {
        throw new PaperboyError('upstream', `${prefix} failed: ${r.what}.`, undefined, { cause: r.cause });
      }
      if (r.waitMs !== undefined && r.waitMs > maxWaitMs) {
        throw new PaperboyError(
          'upstream',
          `${prefix} failed: ${r.what}; it asks to wait ${Math.ceil(r.waitMs / 1000)} s, longer than the ${Math.round(maxWaitMs / 1000)} s allowed.`,
          'Try again later; papers already stored still work.',
          { cause: r.cause },
        );
      }
      if (failures >= tries) {
        throw new PaperboyError(
          'upstream',
          `${prefix} failed after ${tries} ${tries === 1 ? 'try' : 'tries'}: ${r.what}.`,
          'Hugging Face may be down or unreachable; papers already stored still work.',
          { cause: r.cause },
        );
      }
      const waitMs = r.waitMs && r.waitMs > 0 ? r.waitMs : backoffMs(failures - 1, baseMs, capMs, random);
      logger.warn({ day, url, attempt: failures, of: tries, waitMs, problem: r.what }, 'Hugging Face request failed; retrying');
      return waitMs;
    }, { sleep, ...(signal ? { signal } : {}) });
  }

  /** Keeps the query of a `next` link but never leaves our endpoint (a mirror's links may name another host). */
  function onEndpoint(next: string): string {
    return `${endpoint}${new URL(next).search}`;
  }

  return {
    async fetchDay(day: string, signal?: AbortSignal): Promise<Paper[]> {
      if (!isRealDay(day)) {
        throw new PaperboyError('usage', `"${String(day).slice(0, 40)}" is not a day; expected YYYY-MM-DD.`);
      }
      const raw: unknown[] = [];
      const visited = new Set<string>();
      let url: string | undefined = `${endpoint}?date=${day}&limit=100`;
      while (url && !visited.has(url)) {
        if (visited.size >= maxPages) {
          throw new PaperboyError('upstream', `Hugging Face Daily Papers for ${day} kept paginating past ${maxPages} pages.`);
        }
        visited.add(url);
        const page = await getPage(day, url, signal);
        raw.push(...page.items);
        url = page.next ? onEndpoint(page.next) : undefined;
      }
      const { papers, skipped } = normaliseDay(raw, day);
      for (const s of skipped) {
        logger.warn({ day, id: s.id, index: s.index, reason: s.reason }, `skipped invalid Daily Papers item ${s.id ?? `#${s.index}`}: ${s.reason}`);
      }
      logger.debug({ day, papers: papers.length, skipped: skipped.length, pages: visited.size }, 'fetched Daily Papers');
      return papers;
    },
  };
}
