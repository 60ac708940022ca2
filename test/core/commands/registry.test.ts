import { describe, expect, it } from 'vitest';
import { commandSpecs, findCommand, helpReply } from '../../../src/core/commands/index.ts';
import { replyText } from '../../../src/core/model/index.ts';

const table: Record<string, string[]> = {
  papers: [''],
  topics: ['add', 'remove', 'list', 'clear', 'time', 'pause', 'resume', 'status'],
  digest: ['add', 'remove', 'list', 'time', 'off', 'on', 'preview', 'status'],
};

describe('command registry', () => {
  it('has a spec for every command of the design table, each found by name', () => {
    for (const [command, subs] of Object.entries(table)) {
      for (const sub of subs) {
        const spec = findCommand(command, sub || undefined);
        expect(spec, `/${command} ${sub}`).toBeDefined();
        expect(spec!.command).toBe(command);
        expect(spec!.usage.startsWith(`/${command}${sub ? ` ${sub}` : ''}`)).toBe(true);
      }
    }
    expect(findCommand('/TOPICS', 'Add')).toBe(findCommand('topics', 'add'));
    expect(findCommand('topics', 'frobnicate')).toBeUndefined();
    expect(findCommand('papers', 'add')).toBeUndefined();
  });

  it('keeps names unique and texts within what every platform accepts', () => {
    const keys = commandSpecs.map((s) => `${s.command} ${s.sub ?? ''}`);
    expect(new Set(keys).size).toBe(keys.length);
    for (const s of commandSpecs) {
      // Discord: descriptions 1-100, option names lowercase 1-32; required options before optional ones.
      expect(s.description.length).toBeGreaterThan(0);
      expect(s.description.length).toBeLessThanOrEqual(100);
      expect(s.sub ?? 'x').toMatch(/^[a-z]{1,32}$/);
      let optional = false;
      for (const o of s.options) {
        expect(o.name).toMatch(/^[a-z]{1,32}$/);
        expect(o.description.length).toBeLessThanOrEqual(100);
        if (!o.required) optional = true;
        else expect(optional, `${s.usage}: required after optional`).toBe(false);
      }
      // Only the last option may take the rest of a typed line.
      expect(s.options.slice(0, -1).some((o) => o.rest)).toBe(false);
    }
  });

  it('lets only channel managers change a channel digest, and anyone read it', () => {
    for (const sub of ['add', 'remove', 'time', 'off', 'on']) expect(findCommand('digest', sub)!.permission).toBe('manage-channel');
    for (const sub of ['list', 'preview', 'status']) expect(findCommand('digest', sub)!.permission).toBeUndefined();
    for (const s of commandSpecs.filter((x) => x.command === 'digest')) expect(s.needsChannel).toBe(true);
    for (const s of commandSpecs.filter((x) => x.command !== 'digest')) {
      expect(s.needsChannel).toBeFalsy();
      expect(s.permission).toBeUndefined();
    }
  });

  it('declares where suggestions come from', () => {
    expect(findCommand('topics', 'remove')!.options[0]!.autocomplete).toBe('own-topics');
    expect(findCommand('digest', 'remove')!.options[0]!.autocomplete).toBe('channel-topics');
    expect(findCommand('topics', 'time')!.options.find((o) => o.name === 'zone')!.autocomplete).toBe('timezone');
    expect(findCommand('papers')!.options[0]).toMatchObject({ name: 'query', required: true, rest: true });
  });

  it('writes help for all commands and for one', () => {
    const all = replyText(helpReply());
    for (const s of commandSpecs) expect(all).toContain(s.usage);
    const topics = helpReply('topics');
    expect(topics.ephemeral).toBe(true);
    expect(replyText(topics)).toContain('/topics add TOPIC');
    expect(replyText(topics)).not.toContain('/digest');
    expect(replyText(helpReply('papers'))).toMatch(/author:"Name"/);
    expect(replyText(helpReply('nonsense' as never))).toContain('Paperboy commands');
  });
});
