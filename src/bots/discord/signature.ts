/**
 * Discord signs each interaction it POSTs: Ed25519 over `X-Signature-Timestamp` + raw body, with
 * the application's public key. Verified with node:crypto alone.
 */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';

/** The public key's form in the Developer Portal: 32 bytes as 64 hex characters. */
export const PUBLIC_KEY_FORM = /^[0-9a-fA-F]{64}$/;
/** Requests signed longer ago (or further ahead) than this are refused as replays. */
export const MAX_SIGNATURE_AGE_S = 300;

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

export function publicKeyOf(hex: string): KeyObject {
  if (!PUBLIC_KEY_FORM.test(hex)) throw new Error('the Discord public key must be 64 hex characters');
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(hex, 'hex').toString('base64url') }, format: 'jwk' });
}

export function checkSignature(
  key: KeyObject,
  headers: { signature?: string; timestamp?: string },
  body: Buffer,
  nowMs: number,
): SignatureCheck {
  const { signature, timestamp } = headers;
  if (!signature || !timestamp) return { ok: false, reason: 'missing X-Signature-Ed25519 or X-Signature-Timestamp' };
  if (!/^[0-9a-fA-F]{128}$/.test(signature)) return { ok: false, reason: 'malformed signature' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'malformed timestamp' };
  if (Math.abs(nowMs / 1000 - Number(timestamp)) > MAX_SIGNATURE_AGE_S) return { ok: false, reason: 'stale timestamp' };
  const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), body]);
  return verify(null, signed, key, Buffer.from(signature, 'hex')) ? { ok: true } : { ok: false, reason: 'bad signature' };
}
