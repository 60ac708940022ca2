/**
 * A local stand-in of arXiv's feed and export API services (node:http on 127.0.0.1, port 0),
 * serving the real files of `fixtures/arxiv/` and enforcing arXiv's terms the way arXiv does:
 * a request arriving within `intervalMs` of the previous one, or while another is being answered,
 * gets 503 with `Retry-After`. Every request is recorded with what it was answered, so tests can
 * assert the bot never breaks the rules.
 *
 * - `GET /rss/CATS` answers the feed set for `CATS` (default: cs.CL -> the real cs.CL day), with an
 *   ETag and Last-Modified, and 304 to a matching If-None-Match / If-Modified-Since.
 * - `GET /api/query?id_list=A,B` answers an Atom feed of the entries it knows: the real `api/*.xml`
 *   entries and one per item of the served feeds (built from the item's own fields); a malformed
 *   id gets the real HTTP 400 error feed, an unknown one no entry.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { parseAnnouncement } from '../../src/core/sources/arxiv/index.ts';
import { ARXIV_DIR } from './fixtures.ts';

export const arxivFile = (name: string): string => readFileSync(`${ARXIV_DIR}${name}`, 'utf8');

export interface ArxivRequest {
  /** ms since the stand-in started (its own clock). */
  at: number;
  url: string;
  headers: IncomingMessage['headers'];
  status: number;
  /** Why it was refused with 503, when it was. */
  violation?: 'too-soon' | 'concurrent';
  /** Requests being answered when it arrived (itself not counted). */
  inFlight: number;
}

export type FeedAnswer = string | { status: number; body: string; headers?: Record<string, string> };

export interface ArxivStandInOptions {
  /** Minimum gap between request arrivals (arXiv: 3000). */
  intervalMs?: number;
  /** Feed bodies by the category path (`cs.CL`, `cs.CL+cs.AI`); replaces the default. */
  feeds?: Record<string, FeedAnswer>;
  /** Answer time, to make overlapping requests visible (default 0). */
  delayMs?: number;
}

export interface ArxivStandIn {
  url: string;
  requests: ArxivRequest[];
  /** Requests answered 503 for breaking the pacing or the one-connection rule. */
  violations(): ArxivRequest[];
  /** Most sockets open at the same time. */
  maxOpenSockets(): number;
  setFeed(cats: string, answer: FeedAnswer): void;
  /** The next `n` requests get this answer instead (after the pacing check). */
  failNext(n: number, answer: { status: number; body?: string; headers?: Record<string, string> }): void;
  close(): Promise<void>;
}

const BUILT = 'Thu, 13 Aug 2026 04:00:13 GMT';

/** One Atom entry, the export API's current format, from a feed item's fields. */
function entryXml(item: ReturnType<typeof parseAnnouncement>['items'][number], published: string): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `  <entry>
    <id>http://arxiv.org/abs/${item.id}v${item.version}</id>
    <title>${esc(item.title)}</title>
    <updated>${published}</updated>
    <link href="https://arxiv.org/abs/${item.id}v${item.version}" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/${item.id}v${item.version}" rel="related" type="application/pdf" title="pdf"/>
    <summary>${esc(item.abstract)}</summary>
${item.categories.map((c) => `    <category term="${c}" scheme="http://arxiv.org/schemas/atom"/>`).join('\n')}
    <published>${published}</published>
${item.doi ? `    <arxiv:doi>${esc(item.doi)}</arxiv:doi>\n` : ''}${item.journalRef ? `    <arxiv:journal_ref>${esc(item.journalRef)}</arxiv:journal_ref>\n` : ''}    <arxiv:primary_category term="${item.categories[0]}"/>
${item.authors.map((a) => `    <author>\n      <name>${esc(a)}</name>\n    </author>`).join('\n')}
  </entry>`;
}

function realEntries(): Map<string, string> {
  const out = new Map<string, string>();
  for (const f of ['api/id_list-1706.03762.xml', 'api/id_list-1207.7214.xml', 'api/search-testing-100.xml']) {
    for (const m of arxivFile(f).matchAll(/ {2}<entry>[\s\S]*?<\/entry>/g)) {
      const id = /<id>http:\/\/arxiv\.org\/abs\/(.+?)v\d+<\/id>/.exec(m[0])?.[1];
      if (id) out.set(id, m[0]);
    }
  }
  return out;
}

function feedOf(entries: string[], idList: string): string {
  return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/stand-in</id>
  <title>arXiv Query: search_query=&amp;id_list=${idList}&amp;start=0&amp;max_results=${entries.length}</title>
  <updated>2026-08-13T14:06:12Z</updated>
  <opensearch:itemsPerPage>${entries.length}</opensearch:itemsPerPage>
  <opensearch:totalResults>${entries.length}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
${entries.join('\n')}
</feed>
`;
}

export async function startArxivStandIn(opts: ArxivStandInOptions = {}): Promise<ArxivStandIn> {
  const intervalMs = opts.intervalMs ?? 3000;
  const feeds = new Map<string, FeedAnswer>(Object.entries(opts.feeds ?? { 'cs.CL': arxivFile('rss/cs.CL-2026-08-13.xml') }));
  const entries = realEntries();
  const addFeedEntries = (answer: FeedAnswer) => {
    const body = typeof answer === 'string' ? answer : answer.body;
    try {
      const a = parseAnnouncement(body);
      for (const item of a.items) if (!entries.has(item.id)) entries.set(item.id, entryXml(item, a.announcedAt ?? '2026-08-13T04:00:00Z'));
    } catch {
      // a broken feed (the tests' truncated one) has no entries to offer
    }
  };
  for (const a of feeds.values()) addFeedEntries(a);
  const requests: ArxivRequest[] = [];
  const started = Date.now();
  let lastArrival = -Infinity;
  let inFlight = 0;
  let open = 0;
  let maxOpen = 0;
  const faults: { status: number; body?: string; headers?: Record<string, string> }[] = [];
  const sockets = new Set<Socket>();

  const send = (res: ServerResponse, rec: ArxivRequest, status: number, body: string, headers: Record<string, string> = {}) => {
    rec.status = status;
    const finish = () => {
      res.writeHead(status, { 'content-type': status === 503 ? 'text/plain' : 'application/xml; charset=utf-8', ...headers });
      res.end(status === 304 ? undefined : body);
    };
    if (opts.delayMs) setTimeout(finish, opts.delayMs);
    else finish();
  };

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const at = Date.now() - started;
    const rec: ArxivRequest = { at, url: req.url ?? '', headers: req.headers, status: 0, inFlight };
    requests.push(rec);
    inFlight++;
    res.on('close', () => inFlight--);
    const tooSoon = at - lastArrival < intervalMs;
    const concurrent = rec.inFlight > 0;
    lastArrival = at;
    if (tooSoon || concurrent) {
      rec.violation = concurrent ? 'concurrent' : 'too-soon';
      return send(res, rec, 503, 'Rate exceeded. Retry after the interval.', { 'retry-after': String(Math.ceil(intervalMs / 1000)) });
    }
    const fault = faults.shift();
    if (fault) return send(res, rec, fault.status, fault.body ?? '', fault.headers);
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname.startsWith('/rss/')) {
      const answer = feeds.get(decodeURIComponent(url.pathname.slice(5)));
      if (answer === undefined) return send(res, rec, 404, 'Not Found', { 'content-type': 'text/plain' });
      if (typeof answer !== 'string') return send(res, rec, answer.status, answer.body, answer.headers);
      const etag = `"${createHash('sha1').update(answer).digest('hex').slice(0, 16)}"`;
      const validators = { etag, 'last-modified': BUILT };
      if (req.headers['if-none-match'] === etag || (!req.headers['if-none-match'] && req.headers['if-modified-since'] === BUILT)) {
        return send(res, rec, 304, '', validators);
      }
      return send(res, rec, 200, answer, { ...validators, 'content-type': 'application/rss+xml; charset=utf-8' });
    }
    if (url.pathname === '/api/query') {
      const ids = (url.searchParams.get('id_list') ?? '').split(',').filter(Boolean);
      const bad = ids.find((id) => !/^(\d{4}\.\d{4,5}|[a-z-]+(\.[A-Z]{2})?\/\d{7})(v\d+)?$/.test(id));
      if (bad) return send(res, rec, 400, arxivFile('api/error-bad-id.xml').replaceAll('abc', bad));
      return send(res, rec, 200, feedOf(ids.flatMap((id) => entries.get(id.replace(/v\d+$/, '')) ?? []), ids.join(',')), {
        'content-type': 'application/atom+xml; charset=utf-8',
      });
    }
    return send(res, rec, 404, 'Not Found', { 'content-type': 'text/plain' });
  };

  const server = createServer(handle);
  server.on('connection', (s) => {
    sockets.add(s);
    maxOpen = Math.max(maxOpen, ++open);
    s.on('close', () => {
      open--;
      sockets.delete(s);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    violations: () => requests.filter((r) => r.violation),
    maxOpenSockets: () => maxOpen,
    setFeed(cats, answer) {
      feeds.set(cats, answer);
      addFeedEntries(answer);
    },
    failNext(n, answer) {
      for (let i = 0; i < n; i++) faults.push(answer);
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
