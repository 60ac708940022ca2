/**
 * The stand-in's WebSocket gateway: HELLO, IDENTIFY -> READY (+ GUILD_CREATE), heartbeat ACK,
 * RESUME -> RESUMED, and dispatch of events to every connected session.
 */
import type { Server } from 'node:http';
import { EventEmitter } from 'node:events';
import { WebSocketServer, WebSocket } from 'ws';
import { guildCreate, type GuildSetup, type UserObject } from './fixtures.ts';

export interface GatewayOptions {
  token: string;
  applicationId: string;
  bot: UserObject;
  guilds: GuildSetup[];
  url: () => string;
}

interface Session {
  socket: WebSocket;
  id?: string;
  seq: number;
}

export class StandInGateway extends EventEmitter {
  readonly identifies: { intents: number; token: string }[] = [];
  readonly resumes: { sessionId: string; seq: number }[] = [];
  private readonly wss: WebSocketServer;
  private readonly sessions = new Set<Session>();
  /** Session ids READY handed out, with the last sequence sent, so RESUME can be honoured. */
  private readonly known = new Map<string, number>();

  constructor(server: Server, private readonly opts: GatewayOptions) {
    super();
    this.wss = new WebSocketServer({ server });
    this.wss.on('connection', (socket) => this.onConnection(socket));
  }

  get connected(): number {
    return [...this.sessions].filter((s) => s.id && s.socket.readyState === WebSocket.OPEN).length;
  }

  private send(s: Session, payload: { op: number; d: unknown; t?: string }): void {
    const isDispatch = payload.op === 0;
    if (isDispatch) s.seq += 1;
    s.socket.send(JSON.stringify({ op: payload.op, d: payload.d, s: isDispatch ? s.seq : null, t: payload.t ?? null }));
    if (isDispatch && s.id) this.known.set(s.id, s.seq);
  }

  private onConnection(socket: WebSocket): void {
    const s: Session = { socket, seq: 0 };
    this.sessions.add(s);
    socket.on('close', () => this.sessions.delete(s));
    socket.on('message', (raw) => this.onMessage(s, raw.toString()));
    this.send(s, { op: 10, d: { heartbeat_interval: 41_250 } });
  }

  private onMessage(s: Session, raw: string): void {
    let msg: { op: number; d: Record<string, unknown> | number | null };
    try {
      msg = JSON.parse(raw) as typeof msg;
    } catch {
      s.socket.close(4002, 'Decode error');
      return;
    }
    const d = (msg.d ?? {}) as Record<string, unknown>;
    switch (msg.op) {
      case 1:
        this.send(s, { op: 11, d: null });
        return;
      case 2: {
        if (d.token !== this.opts.token) {
          s.socket.close(4004, 'Authentication failed');
          return;
        }
        this.identifies.push({ intents: Number(d.intents), token: String(d.token) });
        s.id = `session-${this.identifies.length}`;
        this.send(s, {
          op: 0, t: 'READY',
          d: {
            v: 10, user: this.opts.bot, session_id: s.id, resume_gateway_url: this.opts.url(), shard: [0, 1],
            guilds: this.opts.guilds.map((g) => ({ id: g.id, unavailable: true })),
            application: { id: this.opts.applicationId, flags: 0 }, private_channels: [], relationships: [], presences: [],
          },
        });
        for (const g of this.opts.guilds) this.send(s, { op: 0, t: 'GUILD_CREATE', d: guildCreate(g, this.opts.bot) });
        this.emit('identify');
        return;
      }
      case 6: {
        const sessionId = String(d.session_id);
        if (d.token !== this.opts.token || !this.known.has(sessionId)) {
          this.send(s, { op: 9, d: false }); // invalid session: the client identifies again
          return;
        }
        this.resumes.push({ sessionId, seq: Number(d.seq) });
        s.id = sessionId;
        s.seq = this.known.get(sessionId) ?? 0;
        this.send(s, { op: 0, t: 'RESUMED', d: {} });
        this.emit('resume');
        return;
      }
      default:
        return; // presence updates and the like are accepted silently
    }
  }

  /** Sends a dispatch event to every identified session. */
  dispatch(t: string, d: unknown): number {
    let n = 0;
    for (const s of this.sessions) {
      if (s.id && s.socket.readyState === WebSocket.OPEN) {
        this.send(s, { op: 0, t, d });
        n += 1;
      }
    }
    return n;
  }

  /** Closes every connection from the server side, as Discord does on a restart (4000: resumable). */
  drop(code = 4000): void {
    for (const s of this.sessions) s.socket.close(code, 'stand-in dropped the connection');
  }

  close(): Promise<void> {
    for (const s of this.sessions) s.socket.terminate();
    return new Promise((resolve) => this.wss.close(() => resolve()));
  }
}
