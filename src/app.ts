/** Wires one process: store, index, source, core deps, every configured adapter and the scheduler. */
import type { AppConfig } from './config.ts';
import { systemClock, type Adapter, type Clock, type CoreDeps, type Logger } from './core/index.ts';
import { isPostgresUrl } from './store/url.ts';
import { createShellAdapter } from './bots/shell/index.ts';
import { firstRunFetch } from './schedule/index.ts';
import { createJobRunner, jobMetrics, type JobRunner } from './jobs/index.ts';
import { commandTimer, createMetrics, type CommandTiming, type MetricsRegistry } from './http/metrics.ts';
import { timedAdapter } from './http/timed.ts';
import { buildCoreDeps } from './wiring.ts';
import type { HttpRoute } from './http/routes.ts';
// Types only: the adapters themselves load on demand below.
import type { DiscordAdapterOptions } from './bots/discord/index.ts';
import type { SlackOAuthSetup } from './bots/slack/index.ts';
import { createLogger } from './logger.ts';

export interface AppOptions {
  clock?: Clock;
  fetch?: typeof globalThis.fetch;
  logger?: Logger;
  /** Terminal streams (tests drive the shell through these). */
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  /** Days fetched on a first start with an empty store (terminal only). */
  firstRunDays?: number;
  /** Retries of the Hugging Face client after the first try. */
  hfRetries?: number;
  /** Run the scheduler (default true). */
  schedule?: boolean;
  /** Registry served at /metrics (a fresh one by default). */
  metrics?: MetricsRegistry;
  /** With PostgreSQL, how often a standby replica tries to take over the Discord gateway (default 5 s). */
  leaderPollMs?: number;
}

export interface App {
  deps: CoreDeps;
  config: AppConfig;
  /** Adapters created for this configuration (the terminal when no platform is configured). */
  adapters: Adapter[];
  /** What /metrics serves: digests, commands, queue depth. */
  metrics: MetricsRegistry;
  /** The scheduler behind the job interface, once started (in-process or pg-boss). */
  readonly jobs: JobRunner | undefined;
  start(): Promise<void>;
  /** Stops adapters and scheduler, flushes and closes the store. Safe to call twice. */
  stop(): Promise<void>;
  /** Resolves once the app has stopped (the terminal user left, or stop() was called). */
  readonly done: Promise<void>;
}

interface Closer {
  close(): Promise<void>;
}

/** Platform adapters load on demand, so a terminal-only run never loads discord.js or Bolt. */
async function platformAdapters(config: AppConfig, deps: CoreDeps, logger: Logger, health: () => object, metrics: MetricsRegistry, closers: Closer[], routes: HttpRoute[], leaderPollMs?: number): Promise<Adapter[]> {
  const adapters: Adapter[] = [];
  const timer = commandTimer(metrics);
  const onAnswered = (platform: string) => (t: Omit<CommandTiming, 'platform'>) => timer({ ...t, platform });
  if (config.discord?.publicKey) {
    // HTTP interactions: every replica answers what reaches it; no gateway, so no lease.
    const mod = await import('./bots/discord/index.ts');
    const discord = mod.createDiscordHttpAdapter({ config, deps, logger, onAnswered: onAnswered('discord') });
    routes.push(...discord.routes);
    adapters.push(discord);
  } else if (config.discord) {
    const mod = await import('./bots/discord/index.ts');
    let gatewayLease: DiscordAdapterOptions['gatewayLease'];
    if (isPostgresUrl(config.databaseUrl)) {
      // Several replicas: only the holder of this lease connects the gateway, so each interaction is handled once.
      const leader = await import('./jobs/leader.ts');
      const name = `discord-gateway:${config.discord.applicationId}`;
      gatewayLease = (gw) =>
        leader.createLeaderLease({ databaseUrl: config.databaseUrl.trim(), name, logger, onAcquire: gw.connect, onLose: gw.disconnect, ...(leaderPollMs ? { pollMs: leaderPollMs } : {}) });
    }
    adapters.push(mod.createDiscordAdapter({ config, deps, logger, onAnswered: onAnswered('discord'), ...(gatewayLease ? { gatewayLease } : {}) }));
  }
  if (config.slack) {
    const mod = await import('./bots/slack/index.ts');
    let oauth: SlackOAuthSetup | undefined;
    if (config.slack.oauth) {
      // Many workspaces: installations (and their tokens) live in PostgreSQL, shared by every replica.
      const pgi = await import('./store/postgres/installations.ts');
      const installs = pgi.openInstallations(config.databaseUrl, logger);
      closers.push(installs);
      const store = mod.boltInstallationStore(installs.store);
      oauth = { config: mod.slackOAuthConfig(config.slack.oauth), installationStore: store, tokens: store };
    }
    adapters.push(mod.createSlackAdapter({ config, deps, logger, health, metrics, routes, onAnswered: onAnswered('slack'), ...(oauth ? { oauth } : {}) }));
  }
  return adapters;
}

/** /healthz, /metrics (and Discord's interactions) on PORT, unless Slack's HTTP receiver already serves them. */
async function startHttp(config: AppConfig, adapters: Adapter[], logger: Logger, metrics: MetricsRegistry, extra: HttpRoute[]): Promise<Closer | undefined> {
  if (!config.discord && !config.slack) return undefined;
  if (config.slack && !config.slack.appToken) return undefined;
  const http = await import('./http/index.ts');
  const routes = [...http.createHttpRoutes({ health: http.adapterHealth(adapters), metrics, logger }), ...extra];
  const server = await http.startHttpServer(config.port, routes);
  logger.info({ port: server.port }, extra.length ? 'HTTP endpoint listening (health, metrics, Discord interactions)' : 'health endpoint listening');
  return server;
}

export async function createApp(config: AppConfig, opts: AppOptions = {}): Promise<App> {
  const logger = opts.logger ?? createLogger({ level: config.logLevel });
  const clock = opts.clock ?? systemClock;
  const metrics = opts.metrics ?? createMetrics();
  const commandSeconds = metrics.counter('paperboy_command_seconds_total', 'Time spent answering commands, by command (divide by paperboy_commands_total for the mean latency).', ['command']);
  const commandCount = metrics.counter('paperboy_commands_total', 'Commands answered, by command.', ['command']);
  const deps = await buildCoreDeps(config, {
    logger,
    clock,
    metrics,
    rateLimit: true,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
    ...(opts.hfRetries !== undefined ? { hfRetries: opts.hfRetries } : {}),
    onCommand: ({ command, ms }) => {
      commandCount.inc({ command });
      commandSeconds.inc({ command }, ms / 1000);
    },
  });
  const { store } = deps;

  let stopping: Promise<void> | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let jobs: JobRunner | undefined;
  const closers: Closer[] = [];
  let http: Closer | undefined;
  const started: Adapter[] = [];

  const adapters: Adapter[] = [];
  const routes: HttpRoute[] = [];
  const healthOf = () => Object.fromEntries(adapters.map((a) => [a.platform, a.health()]));
  try {
    adapters.push(...(await platformAdapters(config, deps, logger, healthOf, metrics, closers, routes, opts.leaderPollMs)));
  } catch (e) {
    for (const c of closers) await c.close().catch(() => {});
    await store.close();
    throw e;
  }
  if (adapters.length === 0) {
    adapters.push(
      createShellAdapter({
        deps,
        logger,
        ...(opts.input ? { input: opts.input } : {}),
        ...(opts.output ? { output: opts.output } : {}),
        firstRun: ({ output, print, signal }) => firstRunFetch(deps, output, { days: opts.firstRunDays ?? 7, print, signal }),
        onExit: () => app.stop(),
      }),
    );
  }

  const app: App = {
    deps,
    config,
    adapters,
    metrics,
    get jobs() {
      return jobs;
    },
    done,
    async start() {
      for (const adapter of adapters) {
        if (stopping) return;
        // Listed before it finishes starting, so a stop during start (Ctrl-C in the first fetch) reaches it.
        started.push(adapter);
        try {
          await adapter.start();
        } catch (e) {
          started.splice(started.indexOf(adapter), 1);
          // One platform failing to connect must not take the others down.
          logger.error({ platform: adapter.platform, err: e instanceof Error ? e.message : String(e) }, 'adapter failed to start');
        }
      }
      if (stopping) return;
      if (started.length === 0) throw new Error('no adapter could start; see the log above');
      http = await startHttp(config, adapters, logger, metrics, routes);
      if (stopping) await http?.close();
      if (opts.schedule !== false && !stopping) {
        // node-cron in this process for the JSON store; pg-boss, shared by every replica, for PostgreSQL.
        const timed = new Map<Adapter, Adapter>();
        const timedOf = (a: Adapter) => timed.get(a) ?? timed.set(a, timedAdapter(a, metrics)).get(a)!;
        jobs = await createJobRunner(config.databaseUrl, { deps, adapters: () => started.map(timedOf), clock, catchUpHours: config.catchUpHours, metrics: jobMetrics(metrics) }, config.jobs);
        await jobs.start();
        if (stopping) await jobs.stop();
        else void jobs.tick().catch((e: unknown) => logger.error({ err: e instanceof Error ? e.message : String(e) }, 'first schedule tick failed'));
      }
    },
    stop() {
      stopping ??= (async () => {
        await jobs?.stop();
        for (const adapter of [...started].reverse()) {
          try {
            await adapter.stop();
          } catch (e) {
            logger.warn({ platform: adapter.platform, err: e instanceof Error ? e.message : String(e) }, 'adapter did not stop cleanly');
          }
        }
        await http?.close();
        for (const c of closers) await c.close().catch(() => {});
        await store.close();
        resolveDone();
      })();
      return stopping;
    },
  };
  return app;
}
