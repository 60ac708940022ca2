/**
 * Slack's OAuth token exchange on 127.0.0.1: `oauth.v2.access` trades a one-time code for a
 * workspace's bot token (client id and secret checked, code used once), `auth.test` answers
 * for the tokens it issued. Enough for Bolt's InstallProvider, nothing more.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Workspace {
  code: string;
  teamId: string;
  token: string;
}

export interface OAuthStandIn {
  apiUrl: string;
  /** oauth.v2.access calls as received (client credentials redacted to a yes/no). */
  exchanges: { code: string; clientOk: boolean; outcome: string }[];
  /** chat.postMessage calls accepted, with the token each came with. */
  posts: { token: string; channel: string; metadata?: string }[];
  close(): Promise<void>;
}

export async function startOAuthStandIn(opts: { clientId: string; clientSecret: string; workspaces: Workspace[] }): Promise<OAuthStandIn> {
  const used = new Set<string>();
  const exchanges: OAuthStandIn['exchanges'] = [];
  const posts: OAuthStandIn['posts'] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const args = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const send = (body: object) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const method = new URL(req.url ?? '/', 'http://x').pathname.replace(/^\/api\//, '');
    if (method === 'oauth.v2.access') {
      // The WebClient sends client_id/client_secret in the body (or as HTTP Basic auth).
      let id: string | undefined = args.get('client_id') ?? undefined;
      let secret: string | undefined = args.get('client_secret') ?? undefined;
      const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (basic) [id, secret] = Buffer.from(basic, 'base64').toString().split(':');
      const clientOk = id === opts.clientId && secret === opts.clientSecret;
      const code = args.get('code') ?? '';
      const ws = opts.workspaces.find((w) => w.code === code);
      const outcome = !clientOk ? 'invalid_client' : !ws || used.has(code) ? 'invalid_code' : 'ok';
      exchanges.push({ code, clientOk, outcome });
      if (outcome !== 'ok') return send({ ok: false, error: outcome });
      used.add(code);
      return send({
        ok: true,
        app_id: 'A0PAPERBOY',
        authed_user: { id: 'U0INSTALLER' },
        scope: 'commands,chat:write,im:write,users:read,channels:history,im:history',
        token_type: 'bot',
        access_token: ws!.token,
        bot_user_id: `UB${ws!.teamId}`,
        team: { id: ws!.teamId, name: `Workspace ${ws!.teamId}` },
        enterprise: null,
        is_enterprise_install: false,
      });
    }
    if (method === 'auth.test') {
      const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || args.get('token');
      const ws = opts.workspaces.find((w) => w.token === token);
      if (!ws) return send({ ok: false, error: 'invalid_auth' });
      return send({ ok: true, url: `https://${ws.teamId}.slack.test/`, team: ws.teamId, team_id: ws.teamId, user_id: `UB${ws.teamId}`, bot_id: `B${ws.teamId}` });
    }
    const token = (req.headers.authorization ?? '').replace(/^Bearer /, '') || args.get('token') || '';
    if (!opts.workspaces.some((w) => w.token === token)) return send({ ok: false, error: 'invalid_auth' });
    if (method === 'chat.postMessage') {
      const channel = args.get('channel') ?? '';
      posts.push({ token, channel, ...(args.get('metadata') ? { metadata: args.get('metadata')! } : {}) });
      return send({ ok: true, channel, ts: `${Date.now() / 1000}`, message: {} });
    }
    if (method === 'conversations.history') return send({ ok: true, messages: [], has_more: false });
    send({ ok: false, error: 'unknown_method' });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return {
    apiUrl: `http://127.0.0.1:${port}/api/`,
    exchanges,
    posts,
    close: () => new Promise((r) => (server.closeAllConnections(), server.close(() => r()))),
  };
}
