import { describe, expect, it } from 'vitest';
import { findCommand, parseCommandText } from '../../../src/core/commands/index.ts';
import { replyText } from '../../../src/core/model/index.ts';

function ok(line: string) {
  const r = parseCommandText(line);
  if ('error' in r) throw new Error(`unexpected error for ${line}: ${replyText(r.error)}`);
  return r;
}

function err(line: string): string {
  const r = parseCommandText(line);
  if (!('error' in r)) throw new Error(`expected an error for ${line}`);
  return replyText(r.error);
}

describe('parseCommandText', () => {
  it('reads a command with or without the slash; rest options take the line verbatim', () => {
    const a = ok('/topics add "diffusion models"');
    expect(a.spec).toBe(findCommand('topics', 'add'));
    expect(a.args).toEqual({ topic: '"diffusion models"' });
    expect(ok('topics add   vision  transformers -video  ').args).toEqual({ topic: 'vision  transformers -video' });
    expect(ok('/papers author:"Yann LeCun" | diffusion').args).toEqual({ query: 'author:"Yann LeCun" | diffusion' });
    expect(ok('/PAPERS Transformers').spec).toBe(findCommand('papers'));
  });

  it('splits positional options by whitespace', () => {
    expect(ok('/digest time 08:30 Europe/Berlin').args).toEqual({ time: '08:30', zone: 'Europe/Berlin' });
    expect(ok('/topics time 7:05').args).toEqual({ time: '7:05' });
    expect(ok('/digest status').args).toEqual({});
  });

  it('answers a bare command or "help" with that command’s help', () => {
    expect(err('/papers')).toContain('/papers QUERY');
    expect(err('/papers help')).toContain('/papers QUERY');
    expect(err('/topics')).toContain('/topics add TOPIC');
    expect(err('digest help')).toContain('/digest preview');
    expect(err('')).toContain('Paperboy commands');
    expect(err('   /help ')).toContain('/digest status');
  });

  it('names an unknown command or subcommand and lists what exists', () => {
    expect(err('/subscribe llm')).toMatch(/Unknown command \/subscribe/);
    const sub = err('/topics delete llm');
    expect(sub).toMatch(/no subcommand "delete"/);
    expect(sub).toMatch(/add, remove, list/);
  });

  it('refuses extra text after the last option with the usage', () => {
    const text = err('/digest time 08:30 Europe/Berlin weekdays note tomorrow');
    expect(text).toMatch(/Unexpected extra text: "tomorrow"/);
    expect(text).toContain('Usage: /digest time HH:MM [ZONE] [daily|weekdays|weekly DAY] [quiet|note]');
    expect(err('/topics list everything')).toContain('Usage: /topics list');
  });

  it('never throws on odd input', () => {
    for (const line of ['/', '//', '\u0000', '/topics \u202e add x', 'x'.repeat(100_000), '/papers \n\n', '🙂 /papers']) {
      expect(() => parseCommandText(line)).not.toThrow();
    }
    expect(ok('/papers line\nbreak').args).toEqual({ query: 'line break' });
  });
});
