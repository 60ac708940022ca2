/**
 * POST /discord/interactions: Discord's Interactions Endpoint URL. Verifies the Ed25519 signature,
 * answers PING, and runs everything else through the same flow as the gateway. The first answer
 * is the HTTP response (within 3 s: the flow defers when the core is slow); edits and follow-ups
 * go over REST to the interaction's webhook, which needs no gateway and no bot token.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { KeyObject } from 'node:crypto';
import { InteractionResponseType, MessageFlags, Routes, type APIInteractionResponse } from 'discord-api-types/v10';
import type { REST } from '@discordjs/rest';
import type { HttpRoute } from '../../http/index.ts';
import { parseInteraction } from './api-interaction.ts';
import { handleInteractionInput, type FlowDeps, type InteractionIO } from './interaction-flow.ts';
import { answerBody, type DiscordMessage } from './render.ts';
import { checkSignature } from './signature.ts';

export const INTERACTIONS_PATH = '/discord/interactions';
/** Interaction payloads are a few KB; anything near this is not from Discord. */
const MAX_BODY_BYTES = 1_000_000;

export interface InteractionsEndpointOptions {
  flow: FlowDeps;
  publicKey: KeyObject;
  rest: REST;
  applicationId: string;
  now: () => number;
}

const body = (m: DiscordMessage, ephemeral: boolean) => ({ ...answerBody(m, ephemeral), allowed_mentions: { parse: [] } });

/** The transport: the first answer resolves `first`; later calls wait until it is on the wire. */
function httpIO(rest: REST, applicationId: string, token: string) {
  let acknowledged = false;
  let resolveFirst!: (r: APIInteractionResponse) => void;
  const first = new Promise<APIInteractionResponse>((r) => (resolveFirst = r));
  let resolveSent!: () => void;
  const sent = new Promise<void>((r) => (resolveSent = r));
  const answer = async (r: APIInteractionResponse) => {
    if (acknowledged) throw new Error('interaction already acknowledged');
    acknowledged = true;
    resolveFirst(r);
    await sent;
  };
  const followUp = async (m: DiscordMessage, ephemeral: boolean) => {
    await sent;
    await rest.post(Routes.webhook(applicationId, token), { body: body(m, ephemeral), auth: false });
  };
  const io: InteractionIO = {
    reply: (m, ephemeral) => answer({ type: InteractionResponseType.ChannelMessageWithSource, data: body(m, ephemeral) }),
    deferReply: () => answer({ type: InteractionResponseType.DeferredChannelMessageWithSource, data: { flags: MessageFlags.Ephemeral } }),
    deferUpdate: () => answer({ type: InteractionResponseType.DeferredMessageUpdate }),
    choices: (choices) => answer({ type: InteractionResponseType.ApplicationCommandAutocompleteResult, data: { choices } }),
    editReply: async (m) => {
      await sent;
      const { flags: _f, ...edit } = body(m, false);
      await rest.patch(Routes.webhookMessage(applicationId, token, '@original'), { body: edit, auth: false });
    },
    followUp,
    get acknowledged() {
      return acknowledged;
    },
  };
  return { io, first, markSent: resolveSent };
}

function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, value: unknown, onSent?: () => void): void {
  const text = JSON.stringify(value);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'cache-control': 'no-store' });
  res.end(text, onSent);
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

async function serve(req: IncomingMessage, res: ServerResponse, o: InteractionsEndpointOptions): Promise<void> {
  const raw = await readBody(req);
  if (!raw) return send(res, 413, { error: `request body over ${MAX_BODY_BYTES} bytes` });
  const check = checkSignature(o.publicKey, { signature: header(req, 'x-signature-ed25519'), timestamp: header(req, 'x-signature-timestamp') }, raw, o.now());
  if (!check.ok) {
    o.flow.logger.warn({ reason: check.reason }, 'refused a Discord interaction request');
    return send(res, 401, { error: `invalid request signature (${check.reason})` });
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.toString('utf8'));
  } catch {
    return send(res, 400, { error: 'body is not JSON' });
  }
  const parsed = parseInteraction(json);
  if (parsed.type === 'ping') return send(res, 200, { type: InteractionResponseType.Pong });
  if (parsed.type === 'unsupported') {
    o.flow.logger.warn({ reason: parsed.reason }, 'unsupported Discord interaction');
    return send(res, 400, { error: parsed.reason });
  }
  const { io, first, markSent } = httpIO(o.rest, o.applicationId, parsed.token);
  const done = handleInteractionInput(parsed.input, io, o.flow);
  const answer = await Promise.race([first, done.then(() => undefined)]);
  // A press of a button that is not ours gets a silent acknowledgement: Discord needs some answer.
  send(res, 200, answer ?? { type: InteractionResponseType.DeferredMessageUpdate }, markSent);
  res.once('close', markSent);
  await done;
}

export function interactionsRoute(o: InteractionsEndpointOptions): HttpRoute {
  return {
    path: INTERACTIONS_PATH,
    method: 'POST',
    handler: (req, res) => {
      serve(req, res, o).catch((err: unknown) => {
        o.flow.logger.error({ err: err instanceof Error ? err.message : String(err) }, 'discord interactions endpoint failed');
        if (!res.headersSent) send(res, 500, { error: 'internal error' });
      });
    },
  };
}
