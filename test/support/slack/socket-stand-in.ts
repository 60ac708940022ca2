/**
 * A local stand-in of Slack's Socket Mode WebSocket: greets each connection with `hello`, sends
 * envelopes on demand and resolves when the client acks them with the same `envelope_id`.
 */
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface SocketStandIn {
  url: string;
  connections(): number;
  /** Sends an envelope to the newest connection; resolves with the client's ack payload. */
  send(type: 'slash_commands' | 'interactive' | 'events_api', payload: object, timeoutMs?: number): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export async function startSocketStandIn(): Promise<SocketStandIn> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((resolve) => wss.once('listening', () => resolve()));
  const sockets: WebSocket[] = [];
  const pending = new Map<string, (payload: Record<string, unknown>) => void>();
  wss.on('connection', (ws) => {
    sockets.push(ws);
    ws.on('message', (data) => {
      let msg: { envelope_id?: string; payload?: Record<string, unknown> };
      try {
        msg = JSON.parse(String(data)) as typeof msg;
      } catch {
        return;
      }
      if (msg.envelope_id) pending.get(msg.envelope_id)?.(msg.payload ?? {});
    });
    ws.send(JSON.stringify({ type: 'hello', num_connections: 1, debug_info: { host: 'stand-in', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0PAPER' } }));
  });
  const port = (wss.address() as AddressInfo).port;
  return {
    url: `ws://127.0.0.1:${port}/link/?ticket=stand-in`,
    connections: () => sockets.filter((s) => s.readyState === s.OPEN).length,
    send(type, payload, timeoutMs = 10_000) {
      const ws = sockets.at(-1);
      if (!ws) return Promise.reject(new Error('socket stand-in: no connection'));
      const envelope_id = randomUUID();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(envelope_id);
          reject(new Error(`socket stand-in: no ack for ${type} ${envelope_id}`));
        }, timeoutMs);
        pending.set(envelope_id, (p) => {
          clearTimeout(timer);
          pending.delete(envelope_id);
          resolve(p);
        });
        ws.send(JSON.stringify({ envelope_id, type, payload, accepts_response_payload: type !== 'events_api', retry_attempt: 0, retry_reason: '' }));
      });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.terminate();
        wss.close(() => resolve());
      }),
  };
}
