/**
 * A TCP proxy on loopback that can stop answering: `pause()` keeps every connection open but
 * forwards nothing either way (a half-open socket, a stalled network), `resume()` lets it flow
 * again. Closing one side closes the other, also while paused.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface TcpProxy {
  port: number;
  /** `postgres://...` with host and port replaced by the proxy's. */
  urlFor(url: string): string;
  pause(): void;
  resume(): void;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

export async function startTcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  let paused = false;
  let accepted = 0;
  const pairs = new Set<[Socket, Socket]>();
  const held = new Map<Socket, Buffer[]>();
  const forward = (from: Socket, to: Socket) => {
    from.on('data', (chunk: Buffer) => {
      if (paused) held.get(from)!.push(chunk);
      else to.write(chunk);
    });
  };
  const server: Server = createServer((down) => {
    accepted++;
    const up = connect(target.port, target.host);
    const pair: [Socket, Socket] = [down, up];
    pairs.add(pair);
    held.set(down, []);
    held.set(up, []);
    forward(down, up);
    forward(up, down);
    const end = () => {
      down.destroy();
      up.destroy();
      held.delete(down);
      held.delete(up);
      pairs.delete(pair);
    };
    down.on('close', end).on('error', end);
    up.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    urlFor(url) {
      const u = new URL(url);
      u.hostname = '127.0.0.1';
      u.port = String(port);
      return u.toString();
    },
    pause() {
      paused = true;
    },
    resume() {
      paused = false;
      for (const [down, up] of pairs) {
        for (const [from, to] of [[down, up], [up, down]] as const) {
          for (const chunk of held.get(from)?.splice(0) ?? []) to.write(chunk);
        }
      }
    },
    get connections() {
      return accepted;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [down, up] of pairs) (down.destroy(), up.destroy());
        server.close(() => resolve());
      }),
  };
}
