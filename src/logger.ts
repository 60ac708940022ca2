import { pino, type DestinationStream, type Logger as PinoLogger } from 'pino';

/** Secret-bearing keys, at any of the first few depths a config or request gets logged at. */
const SECRET_KEYS = ['token', 'botToken', 'signingSecret', 'appToken', 'password', 'secret'];

export const redactPaths: string[] = [
  ...SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]),
  // HTTP clients spell the header either way (fetch lower-case, axios-style errors `Authorization`).
  ...['authorization', 'Authorization'].flatMap((h) => [`headers.${h}`, `*.headers.${h}`, `*.*.headers.${h}`, `*.*.*.headers.${h}`]),
  'databaseUrl',
  '*.databaseUrl',
  '*.*.databaseUrl',
  '*.*.*.databaseUrl',
];

export interface LoggerOptions {
  level?: string;
  /** Defaults to stderr, so stdout stays clean for `--json` output and the prompt. */
  destination?: DestinationStream;
}

/**
 * Database URLs stay readable (which file, which host) with the password masked, also when the URL
 * does not parse (a bad port must not print the password that precedes it).
 */
export function maskUrl(value: string): string {
  // No user info, nothing to mask; and `new URL('file:./x')` would print it as the absolute file:///x.
  if (!value.includes('@')) return value;
  try {
    const u = new URL(value);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return value.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
  }
}

function censor(value: unknown, path: string[]): unknown {
  if (path[path.length - 1] === 'databaseUrl' && typeof value === 'string') return maskUrl(value);
  return '[redacted]';
}

/** pino with secrets redacted; database URLs too, since postgres URLs carry passwords. */
export function createLogger(opts: LoggerOptions = {}): PinoLogger {
  return pino(
    {
      level: opts.level ?? 'info',
      redact: { paths: redactPaths, censor },
      base: undefined,
    },
    opts.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}

export type { PinoLogger };
