/**
 * Generated hostile input for the hardening tests: every kind the issue names (empty, whitespace,
 * 10,000 characters, control characters, RTL and combining Unicode, emoji, unbalanced quotes,
 * regex metacharacters, mass mentions, Discord Markdown, Slack mrkdwn, unknown subcommands,
 * invalid times and zones), mixed with real command words so deep code paths are reached too.
 */
import fc from 'fast-check';
import { commandSpecs } from '../../src/core/commands/index.ts';

/** Full counts under PAPERBOY_SOAK=1 (npm run test:soak), smaller ones in CI. */
export const SOAK = process.env.PAPERBOY_SOAK === '1';
export const runs = (ci: number, soak = 10_000): number => (SOAK ? soak : ci);

export const MENTIONS = ['@everyone', '@here', '<@&123>', '<@123456789012345678>', '<@!123>', '<!channel>', '<!here>', '<!everyone>', '<@U0ADMIN>', '<#C0GENERAL>', '<!subteam^S123>', '@​everyone'];
const DISCORD_MD = ['**bold**', '__under__', '~~strike~~', '`code`', '```js\nalert(1)\n```', '> quote', '# Heading', '-# small', '||spoiler||', '[click](https://evil.example)', '<https://evil.example>', '\\*escaped\\*', '*', '_', '~', '`'];
const SLACK_MD = ['*bold*', '_italic_', '~strike~', '<https://evil.example|click me>', '&amp;', '&lt;', '&gt;', '<mailto:a@b.c|mail>', ':skull:', '<!date^0^{date}|x>', '|', '>>> quote'];
const CONTROL = ['\u0000', '\u0007', '\u0008', '\u001b[31m', '\u001b]8;;https://evil\u001b\\', '\u007f', '\u0085', '\u009b', '\r', '\n', '\t', '\u2028', '\u2029', '\ufeff', '\ud800', '\udfff'];
const UNICODE = ['\u202eevil\u202c', 'שלום עולם', 'مرحبا بالعالم', '\u200f\u200e', 'Z\u0351\u0337\u0322a\u0300\u0301\u0302\u0303\u0304l\u0336\u0335g\u0489o', '👩‍👩‍👧‍👦', '🏳️‍🌈', '🇺🇦', '🤖📄', 'ﷺ', '𝕋𝕣𝕒𝕟𝕤𝕗𝕠𝕣𝕞𝕖𝕣', 'İ', 'ß', 'ﬁ', '\u3000', '\u00a0', '\u2003', '\u200b', 'Ⅻ', '٠٩:٣٠'];
const QUOTES = ['"', '"unbalanced', 'a "b', '“smart”', '‘', "'", '""', '"""', '"a" "b', '-', '--', '-"x"', '|', '||', 'a |', 'author:', 'author:"', 'author:""', 'author:"Ann', '(', ')', '-(a|b)'];
const REGEX = ['.*', '.+?', '^$', '[a-z', '(?<x>', '\\', '\\d+', '$1', '${x}', '{1000000}', '(a+)+$', '*?', '|||', '[[:alpha:]]', '%s%n', '__proto__', 'constructor', 'toString', 'hasOwnProperty'];
const TIMES = ['25:99', '24:00', '9', '09', '9:5', '-1:00', '12:60', '0900', '9am', '09:00:00', 'noon', '٠٩:٣٠', '99999999999:00', '09:00 Mars/Olympus', '09:00 UTC+25', '09:00 ../../etc/passwd', '09:00 Europe/Berlin', '23:59 Pacific/Kiritimati', '00:00 Etc/GMT+12', '07:30 europe/paris', '08:00 EST5EDT', '10:00 Asia/Kolkata extra'];
const ZONES = ['Mars/Olympus', 'UTC+25', 'GMT-99', '../../etc/passwd', 'Europe/', '/', 'Europe/Berlin\u0000', 'America/Argentina/Buenos_Aires', 'Factory', 'UTC', 'Z', ''];
const SUBS = ['add', 'remove', 'list', 'clear', 'time', 'pause', 'resume', 'status', 'preview', 'off', 'on', 'help', 'ADD', 'frobnicate', 'delete', 'rm', '--help', '-h', '?', ''];
const WORDS = ['transformers', 'diffusion models', '"world model"', 'agents -robotics', 'llm | vlm', 'author:"Yann LeCun"', 'reinforcement learning', 'x'];

const pieces = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...MENTIONS, ...DISCORD_MD, ...SLACK_MD, ...QUOTES, ...REGEX, ...WORDS) },
  { weight: 2, arbitrary: fc.constantFrom(...CONTROL, ...UNICODE, ...TIMES, ...ZONES, ...SUBS) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(' ', '\t', '\u00a0', '\u3000', '\u200b', '\u2028'), maxLength: 8 }) },
);

const separator = fc.constantFrom(' ', ' ', ' ', '', '  ', '\t', '\n', '\u00a0');

/** One argument string: a few pieces glued together, sometimes blown up to about 10,000 characters. */
export const argText: fc.Arbitrary<string> = fc
  .tuple(fc.array(fc.tuple(pieces, separator), { minLength: 0, maxLength: 6 }), fc.integer({ min: 0, max: 19 }))
  .map(([parts, huge]) => {
    const s = parts.map(([p, sep]) => p + sep).join('');
    if (huge === 0 && s.length > 0) return s.repeat(Math.ceil(10_000 / s.length)).slice(0, 10_000);
    return s;
  });

const KNOWN = commandSpecs.map((s) => `${s.command}${s.sub ? ` ${s.sub}` : ''}`);

/** A whole typed command line: mostly real command words, sometimes unknown ones or nothing at all. */
export const commandLine: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(fc.constantFrom(...KNOWN), argText).map(([k, a]) => `/${k} ${a}`) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('papers', 'topics', 'digest', 'PAPERS', 'Topics'), fc.constantFrom(...SUBS), argText).map(([c, s, a]) => `/${c} ${s} ${a}`) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/frob', '/', '//papers', 'papers', '/help', 'help', '?', '/@everyone', '/<!channel>'), argText).map(([c, a]) => `${c} ${a}`) },
  { weight: 1, arbitrary: argText },
);

/** Slack sends `/cmd` and the text separately. */
export const slashText: fc.Arbitrary<{ command: '/papers' | '/topics' | '/digest'; text: string }> = fc.oneof(
  { weight: 3, arbitrary: fc.tuple(fc.constantFrom(...commandSpecs), argText).map(([s, a]) => ({ command: `/${s.command}` as const, text: `${s.sub ?? ''} ${a}` })) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('/papers', '/topics', '/digest') as fc.Arbitrary<'/papers' | '/topics' | '/digest'>, fc.constantFrom(...SUBS), argText).map(([command, s, a]) => ({ command, text: `${s} ${a}` })) },
);

/** Mention-like sequences that must never reach Slack unescaped. */
export function slackMentionsIn(mrkdwn: string): string[] {
  // Escaped text holds no raw `<`; the only `<...>` we write ourselves are http(s) links.
  return [...mrkdwn.matchAll(/<([^>]*)>?/g)].map((m) => m[0]).filter((t) => !/^<https?:\/\/[^\s<>|]+(\|[^<>]*)?>$/.test(t));
}

/** Every mrkdwn text and the `text` fallback of a Slack message body. */
export function slackMrkdwnTexts(body: Record<string, unknown>): string[] {
  const out: string[] = [];
  if (typeof body.text === 'string' && body.mrkdwn !== false) out.push(body.text);
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (o.type === 'mrkdwn' && typeof o.text === 'string') out.push(o.text);
    for (const [k, x] of Object.entries(o)) if (k !== 'text' || typeof x !== 'string') walk(x);
  };
  walk(body.blocks);
  return out;
}

/**
 * What a generated run really covered: distinct inputs and how many of each kind. `tried >= RUNS`
 * holds by construction; these numbers fall if the generator degenerates or a path stops running.
 */
export class Coverage {
  private readonly seen = new Set<string>();
  readonly kinds = new Map<string, number>();
  tried = 0;

  see(input: unknown, kind: string): void {
    this.tried++;
    this.seen.add(JSON.stringify(input));
    this.kinds.set(kind, (this.kinds.get(kind) ?? 0) + 1);
  }

  get distinct(): number {
    return this.seen.size;
  }

  /** Fails unless most inputs differ and every kind named ran at least `minPerKind` times. */
  check(expectations: { minDistinctShare: number; kinds: string[]; minPerKind: number }): void {
    const problems: string[] = [];
    if (this.distinct < this.tried * expectations.minDistinctShare) problems.push(`only ${this.distinct} distinct of ${this.tried} inputs`);
    for (const k of expectations.kinds) {
      const n = this.kinds.get(k) ?? 0;
      if (n < expectations.minPerKind) problems.push(`${k} ran ${n} times (want >= ${expectations.minPerKind})`);
    }
    if (problems.length > 0) throw new Error(`generated input covered too little: ${problems.join('; ')}`);
  }

  toString(): string {
    return `${this.tried} tried, ${this.distinct} distinct (${[...this.kinds].map(([k, n]) => `${k} ${n}`).join(', ')})`;
  }
}
