/** A small node:http server for the routes when no Slack HTTP receiver serves them. */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { HttpRoute } from './routes.ts';

export interface RunningHttpServer {
  server: Server;
  /** The bound port (useful with port 0). */
  port: number;
  close(): Promise<void>;
}

export function startHttpServer(port: number, routes: readonly HttpRoute[], host?: string): Promise<RunningHttpServer> {
  const server = createServer((req, res) => {
    let path = '/';
    try {
      path = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      // Unparseable URLs fall through to 404.
    }
    const method = (req.method ?? 'GET').toUpperCase();
    const onPath = routes.filter((r) => r.path === path);
    const route = onPath.find((r) => r.method.toUpperCase() === method || (method === 'HEAD' && r.method.toUpperCase() === 'GET'));
    if (route) {
      try {
        route.handler(req, res);
      } catch (e) {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`internal error: ${(e as Error).message}`);
      }
      return;
    }
    const status = onPath.length ? 405 : 404;
    res.writeHead(status, { 'content-type': 'application/json', ...(onPath.length ? { allow: onPath.map((r) => r.method).join(', ') } : {}) });
    res.end(JSON.stringify({ error: status === 405 ? 'method not allowed' : 'not found' }));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve({
        server,
        port: (server.address() as AddressInfo).port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
