/** The checks behind `paperboy doctor`; each says what it found, never a secret. */
import type { AppConfig } from '../../config.ts';
import type { Logger } from '../../core/index.ts';
import { maskUrl } from '../../logger.ts';
import { openStore } from '../../store/index.ts';
import { createArxivSource } from '../../core/sources/arxiv/index.ts';
import { followedCategories } from '../../schedule/arxiv-fetch.ts';

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const TIMEOUT_MS = 10_000;

function reason(e: unknown): string {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  if (err?.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  return err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e);
}

async function getJson(url: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  return { status: res.status, body };
}

export async function checkStore(config: AppConfig, logger: Logger): Promise<Check[]> {
  const where = maskUrl(config.databaseUrl);
  let store;
  try {
    store = await openStore(config.databaseUrl, { logger });
  } catch (e) {
    const hint = (e as { hint?: unknown }).hint;
    return [{ name: 'store', ok: false, detail: `${where}: ${e instanceof Error ? e.message : String(e)}${typeof hint === 'string' ? ` ${hint}` : ''}` }];
  }
  try {
    const papers = await store.countPapers();
    const days = (await store.fetchedDays()).size;
    const destinations = await store.listDestinations();
    const failing = destinations.filter((d) => d.state.lastFailure);
    const checks: Check[] = [
      { name: 'store', ok: true, detail: `${where}: ${papers} papers, ${days} days fetched, ${destinations.length} destinations` },
    ];
    checks.push(
      failing.length === 0
        ? { name: 'destinations', ok: true, detail: 'no destination is failing' }
        : {
            name: 'destinations',
            ok: false,
            detail: failing
              .map((d) => `${d.key}: ${d.state.lastFailure!.code} (${d.state.lastFailure!.message}) at ${d.state.lastFailure!.at}${d.state.lastFailure!.permanent ? ', permanent' : ''}`)
              .join('; '),
          },
    );
    return checks;
  } finally {
    await store.close();
  }
}

export async function checkHf(config: AppConfig): Promise<Check> {
  const url = `${config.hfEndpoint}/api/daily_papers?limit=1`;
  try {
    const { status, body } = await getJson(url);
    if (status === 200 && Array.isArray(body)) return { name: 'huggingface', ok: true, detail: `${config.hfEndpoint} answers` };
    return { name: 'huggingface', ok: false, detail: `${config.hfEndpoint} answered HTTP ${status}${Array.isArray(body) ? '' : ' without a JSON list'}` };
  } catch (e) {
    return { name: 'huggingface', ok: false, detail: `${config.hfEndpoint} unreachable: ${reason(e)}` };
  }
}

export async function checkDiscord(discord: NonNullable<AppConfig['discord']>): Promise<Check> {
  try {
    const { status, body } = await getJson(`${discord.apiUrl}/v10/gateway/bot`, { headers: { authorization: `Bot ${discord.token}` } });
    if (status === 200) return { name: 'discord', ok: true, detail: `${discord.apiUrl} accepts the bot token` };
    if (status === 401) return { name: 'discord', ok: false, detail: `${discord.apiUrl} rejected DISCORD_TOKEN (401)` };
    const msg = (body as { message?: string } | undefined)?.message;
    return { name: 'discord', ok: false, detail: `${discord.apiUrl} answered HTTP ${status}${msg ? `: ${msg}` : ''}` };
  } catch (e) {
    return { name: 'discord', ok: false, detail: `${discord.apiUrl} unreachable: ${reason(e)}` };
  }
}

/** HTTP interactions: the key's form (config checked it is hex) and that it loads as an Ed25519 key. */
export async function checkDiscordKey(publicKey: string): Promise<Check> {
  const { publicKeyOf } = await import('../../bots/discord/index.ts');
  try {
    publicKeyOf(publicKey);
    return { name: 'discord-key', ok: true, detail: 'DISCORD_PUBLIC_KEY is an Ed25519 public key; interactions arrive at https://YOUR-HOST/discord/interactions (no gateway)' };
  } catch (e) {
    return { name: 'discord-key', ok: false, detail: `DISCORD_PUBLIC_KEY is not an Ed25519 public key: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export async function checkSlack(slack: NonNullable<AppConfig['slack']>): Promise<Check> {
  try {
    const { status, body } = await getJson(`${slack.apiUrl}auth.test`, {
      method: 'POST',
      headers: { authorization: `Bearer ${slack.botToken}`, 'content-type': 'application/x-www-form-urlencoded' },
    });
    const b = body as { ok?: boolean; error?: string; team?: string } | undefined;
    if (status === 200 && b?.ok) return { name: 'slack', ok: true, detail: `${slack.apiUrl} accepts the bot token${b.team ? ` (team ${b.team})` : ''}` };
    return { name: 'slack', ok: false, detail: `${slack.apiUrl} refused auth.test: ${b?.error ?? `HTTP ${status}`}` };
  } catch (e) {
    return { name: 'slack', ok: false, detail: `${slack.apiUrl} unreachable: ${reason(e)}` };
  }
}

/** arXiv answers (one paced feed request), checked only where arXiv is used: a cat: topic or ARXIV_CATEGORIES. */
export async function checkArxiv(config: AppConfig, logger: Logger): Promise<Check> {
  const a = config.arxiv;
  if (!a) return { name: 'arxiv', ok: true, detail: 'off' };
  let categories: string[];
  try {
    const store = await openStore(config.databaseUrl, { logger });
    try {
      categories = followedCategories(await store.listDestinations(), a.categories);
    } finally {
      await store.close();
    }
  } catch {
    categories = a.categories; // the store check reports why it cannot be read
  }
  if (categories.length === 0) return { name: 'arxiv', ok: true, detail: 'not used: no topic names a cat: category and ARXIV_CATEGORIES is empty' };
  const source = createArxivSource({ rssUrl: a.rssUrl, apiUrl: a.apiUrl, intervalMs: a.intervalMs, timeoutMs: TIMEOUT_MS, maxRetries: 0, logger, ...(a.contact ? { contact: a.contact } : {}) });
  try {
    const answer = await source.ping();
    return { name: 'arxiv', ok: true, detail: `${a.rssUrl} answers (${answer}); following ${categories.join(', ')}${a.contact ? '' : '; set ARXIV_CONTACT so arXiv can reach you'}` };
  } catch (e) {
    return { name: 'arxiv', ok: false, detail: `${a.rssUrl}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
