/**
 * Plays Discord posting to an Interactions Endpoint URL: an Ed25519 key pair made for the test,
 * and signed POSTs (X-Signature-Ed25519 over timestamp + body) to the real endpoint.
 */
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';

export interface InteractionSigner {
  /** What DISCORD_PUBLIC_KEY is set to: the raw key as 64 hex characters. */
  publicKeyHex: string;
  privateKey: KeyObject;
}

export function interactionSigner(): InteractionSigner {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  return { publicKeyHex: Buffer.from(x, 'base64url').toString('hex'), privateKey };
}

export interface SignedPost {
  /** Seconds since the epoch to sign with (default now). */
  timestamp?: number;
  /** Sign with this key instead (a forgery). */
  key?: KeyObject;
  /** Send this body after signing the original (tampering). */
  sendBody?: string;
  headers?: Record<string, string>;
}

export async function postInteraction(
  url: string,
  signer: InteractionSigner,
  payload: unknown,
  opts: SignedPost = {},
): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  const timestamp = String(opts.timestamp ?? Math.floor(Date.now() / 1000));
  const signature = sign(null, Buffer.from(timestamp + body), opts.key ?? signer.privateKey).toString('hex');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-signature-ed25519': signature, 'x-signature-timestamp': timestamp, ...opts.headers },
    body: opts.sendBody ?? body,
  });
  const text = await res.text();
  let parsed: Record<string, unknown> = {};
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Not JSON: the test looks at `text`.
  }
  return { status: res.status, body: parsed, text };
}
