/** Small HTTP helpers of the Hugging Face client: wait hints, Link header, body descriptions. */

/**
 * Seconds to wait from `Retry-After` (delta-seconds or an HTTP date) and from the `RateLimit`
 * header (`"api";r=0;t=55`, or the older `limit=..., remaining=..., reset=55` form) or
 * `RateLimit-Reset`; the longest of them, in ms. Undefined when none is usable.
 */
export function waitHintMs(headers: Headers, nowMs: number): number | undefined {
  const hints: number[] = [];
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) hints.push(Number(retryAfter) * 1000);
    else {
      const at = Date.parse(retryAfter);
      if (!Number.isNaN(at)) hints.push(Math.max(0, at - nowMs));
    }
  }
  const rateLimit = headers.get('ratelimit');
  const reset = rateLimit ? /(?:^|[;,\s])(?:t|reset)=(\d+)/.exec(rateLimit)?.[1] : undefined;
  if (reset !== undefined) hints.push(Number(reset) * 1000);
  const resetHeader = headers.get('ratelimit-reset')?.trim();
  if (resetHeader && /^\d+$/.test(resetHeader)) hints.push(Number(resetHeader) * 1000);
  return hints.length ? Math.max(...hints) : undefined;
}

/**
 * When the `RateLimit` header says the quota is used up (`r=0` / `remaining=0`), the ms until it
 * resets; otherwise undefined. Lets a backfill pause instead of running into a 429.
 */
export function quotaExhaustedMs(headers: Headers): number | undefined {
  const v = headers.get('ratelimit');
  if (!v) return undefined;
  const remaining = /(?:^|[;,\s])(?:r|remaining)=(\d+)/.exec(v)?.[1];
  const reset = /(?:^|[;,\s])(?:t|reset)=(\d+)/.exec(v)?.[1];
  return remaining === '0' && reset !== undefined ? Number(reset) * 1000 : undefined;
}

/** The `rel="next"` target of a `Link` header, resolved against the request URL. */
export function nextLink(link: string | null, base: string): string | undefined {
  if (!link) return undefined;
  for (const part of link.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m?.[1]) continue;
    const rels = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2] ?? '')?.[1]?.toLowerCase().split(/\s+/) ?? [];
    if (!rels.includes('next')) continue;
    try {
      return new URL(m[1], base).toString();
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** What a response body looked like, in a few words, for error messages and logs. */
export function describeBody(body: string, contentType: string | null): string {
  const trimmed = body.trim();
  if (!trimmed) return 'an empty body';
  if (/<html|<!doctype html/i.test(trimmed.slice(0, 500)) || /text\/html/i.test(contentType ?? '')) {
    const title = /<title[^>]*>([^<]*)<\/title>/i.exec(trimmed)?.[1];
    return title ? `an HTML page titled "${clip(title)}"` : 'an HTML page';
  }
  try {
    const value: unknown = JSON.parse(trimmed);
    const err = (value as { error?: unknown } | null)?.error;
    if (typeof err === 'string') return `a JSON error "${clip(err)}"`;
    if (Array.isArray(value)) return 'a JSON array';
    return `JSON ${value === null ? 'null' : typeof value}`;
  } catch {
    if (/^[[{]/.test(trimmed)) return `truncated or malformed JSON (${body.length} bytes)`;
    return `text "${clip(trimmed)}"`;
  }
}

function clip(s: string, max = 80): string {
  // eslint-disable-next-line no-control-regex
  const flat = s.replace(/[\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Reads a body as text, but never more than `maxBytes`: past that it stops reading (the rest is
 * never buffered) and reports how much it saw. A declared Content-Length over the cap stops at once.
 */
export async function readCapped(res: Response, maxBytes: number): Promise<{ text: string } | { tooLarge: number }> {
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    return { tooLarge: declared };
  }
  if (!res.body) return { text: '' };
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      return { tooLarge: size };
    }
    text += decoder.decode(value, { stream: true });
  }
  return { text: text + decoder.decode() };
}
