import { afterEach, describe, expect, it } from 'vitest';
import type { Adapter } from '../../src/core/ports.ts';
import { adapterHealth, createHttpRoutes, createMetrics, startHttpServer, type RunningHttpServer } from '../../src/http/index.ts';

let running: RunningHttpServer | undefined;
afterEach(async () => {
  await running?.close();
  running = undefined;
});

function fakeAdapter(platform: Adapter['platform'], connected: boolean): Adapter {
  return { platform, start: async () => {}, stop: async () => {}, deliver: async () => {}, health: () => ({ connected, detail: connected ? 'up' : 'gateway closed' }) };
}

describe('metrics registry (prom-client)', () => {
  it('renders counters, gauges and histograms in Prometheus text format with escaped labels', async () => {
    const m = createMetrics({ defaultMetrics: false });
    const c = m.counter('paperboy_commands_total', 'Commands handled.', ['platform', 'command']);
    c.inc({ platform: 'slack', command: 'papers' });
    c.inc({ command: 'papers', platform: 'slack' }, 2);
    c.inc({ platform: 'slack', command: 'a"b\\c\nd' });
    m.gauge('paperboy_papers_indexed', 'Papers in the index.').set(9577);
    m.counter('paperboy_unused_total', 'Never touched.');
    const h = m.histogram('paperboy_command_answer_seconds', 'Answer latency.', ['platform']);
    for (const s of [0.004, 0.2, 0.2, 3]) h.observe({ platform: 'discord' }, s);
    const text = await m.render();
    expect(text).toContain('# TYPE paperboy_commands_total counter');
    expect(text).toContain('paperboy_commands_total{platform="slack",command="papers"} 3');
    expect(text).toContain('paperboy_commands_total{platform="slack",command="a\\"b\\\\c\\nd"} 1');
    expect(text).toContain('# TYPE paperboy_papers_indexed gauge\npaperboy_papers_indexed 9577');
    expect(text).toContain('paperboy_unused_total 0');
    expect(text).toContain('# TYPE paperboy_command_answer_seconds histogram');
    expect(text).toContain('paperboy_command_answer_seconds_bucket{le="0.005",platform="discord"} 1');
    expect(text).toContain('paperboy_command_answer_seconds_bucket{le="0.25",platform="discord"} 3');
    expect(text).toContain('paperboy_command_answer_seconds_bucket{le="+Inf",platform="discord"} 4');
    expect(text).toContain('paperboy_command_answer_seconds_count{platform="discord"} 4');
    // Asking again for a name hands back the same series (adapters and the app share the registry).
    m.counter('paperboy_commands_total', 'again', ['platform', 'command']).inc({ platform: 'slack', command: 'papers' });
    expect(await m.render()).toContain('paperboy_commands_total{platform="slack",command="papers"} 4');
  });

  it('refuses bad names, shrinking counters, undeclared labels and type clashes with clear errors', () => {
    const m = createMetrics({ defaultMetrics: false });
    expect(() => m.counter('bad name', 'x')).toThrow(/Invalid metric name/);
    expect(() => m.counter('ok_total', 'x').inc(-1)).toThrow(/not possible to decrease a counter/);
    expect(() => m.gauge('ok_total', 'x')).toThrow(/already registered as another type/);
    expect(() => m.counter('ok_total', 'x').inc({ undeclared: 'x' })).toThrow(/not included in initial labelset/);
  });

  it('includes the process metrics and event-loop lag from prom-client', async () => {
    const text = await createMetrics().render();
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d/m);
    expect(text).toContain('# TYPE nodejs_eventloop_lag_seconds gauge');
    expect(text).toContain('nodejs_eventloop_lag_p99_seconds');
  });
});

describe('startHttpServer with the routes', () => {
  it('answers /healthz with each adapter and the last digest run, 503 when one is down', async () => {
    const metrics = createMetrics();
    let slackUp = true;
    const adapters = [fakeAdapter('discord', true), { ...fakeAdapter('slack', true), health: () => ({ connected: slackUp }) }];
    const routes = createHttpRoutes({ health: adapterHealth(adapters, () => ({ lastDigestRunAt: '2026-06-22T09:00:00.000Z' })), metrics });
    running = await startHttpServer(0, routes, '127.0.0.1');
    const base = `http://127.0.0.1:${running.port}`;
    let res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/application\/json/);
    expect(await res.json()).toEqual({
      status: 'ok',
      adapters: { discord: { connected: true, detail: 'up' }, slack: { connected: true } },
      lastDigestRunAt: '2026-06-22T09:00:00.000Z',
    });
    slackUp = false;
    res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'degraded', down: ['slack'] });
  });

  it('serves /metrics as Prometheus text fed by the app, 404 and 405 otherwise', async () => {
    const metrics = createMetrics();
    metrics.counter('paperboy_digests_total', 'Digests sent.', ['platform', 'result']).inc({ platform: 'slack', result: 'sent' });
    running = await startHttpServer(0, createHttpRoutes({ health: () => ({}), metrics }), '127.0.0.1');
    const base = `http://127.0.0.1:${running.port}`;
    const res = await fetch(`${base}/metrics`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await res.text()).toContain('paperboy_digests_total{platform="slack",result="sent"} 1');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    const post = await fetch(`${base}/healthz`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('allow')).toBe('GET');
  });

  it('answers 500 with the reason when the health source throws, and keeps serving', async () => {
    running = await startHttpServer(0, createHttpRoutes({ health: () => { throw new Error('store closed'); }, metrics: createMetrics() }), '127.0.0.1');
    const res = await fetch(`http://127.0.0.1:${running.port}/healthz`);
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ status: 'error', error: 'store closed' });
    expect((await fetch(`http://127.0.0.1:${running.port}/metrics`)).status).toBe(200);
  });

  it('reports a busy port as an error instead of crashing', async () => {
    running = await startHttpServer(0, [], '127.0.0.1');
    await expect(startHttpServer(running.port, [], '127.0.0.1')).rejects.toThrow(/EADDRINUSE/);
  });
});
