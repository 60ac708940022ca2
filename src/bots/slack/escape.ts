/**
 * Slack mrkdwn safety. Slack only needs `&`, `<`, `>` escaped; once they are, no text can form
 * `<!channel>`, `<@U123>` or a link. Formatting characters cannot be escaped in mrkdwn, so where
 * a pair of them would turn part of a title into bold/italic/strike/code we swap in look-alikes.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Slack sends typed text with `&`, `<`, `>` escaped; the core wants what the user typed. */
export function unescapeSlackText(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

const LOOKALIKE: Record<string, string> = { '*': '\u2217', _: '\u02cd', '~': '\u223c', '`': '\u02cb' };

/** Escapes and neutralises formatting characters that occur in pairs (a lone `*` formats nothing). */
export function safeMrkdwn(text: string): string {
  let out = escapeMrkdwn(text);
  for (const [ch, alike] of Object.entries(LOOKALIKE)) {
    if (out.split(ch).length > 2) out = out.split(ch).join(alike);
  }
  return out;
}

/** Cuts plain text to `max` characters (with an ellipsis), never splitting a surrogate pair. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let cut = text.slice(0, Math.max(0, max - 1));
  if (/[\uD800-\uDBFF]$/.test(cut)) cut = cut.slice(0, -1);
  return `${cut.trimEnd()}…`;
}

/** Escaped and truncated so the *escaped* result fits `max` (entities are never cut in half). */
export function safeTruncated(text: string, max: number): string {
  let t = truncate(text, max);
  let s = safeMrkdwn(t);
  while (s.length > max && t.length > 0) {
    t = truncate(t, Math.max(1, t.length - Math.max(1, s.length - max)));
    s = safeMrkdwn(t);
  }
  return s;
}

/** Text for a `<url|label>` link; `|` would end the URL part early, so it is swapped too. */
export function linkLabel(text: string, max: number): string {
  return safeTruncated(text.replace(/\|/g, '\u2223'), max);
}

/** URLs inside `<...>` must not contain `<`, `>` or `|`; anything odd is dropped by the caller. */
export function isSafeUrl(url: string | undefined): url is string {
  if (!url || url.length > 2000) return false;
  if (!/^https?:\/\/[^\s<>|]+$/i.test(url)) return false;
  try {
    new URL(url);
    return true;
  } catch {
    return false;
  }
}
