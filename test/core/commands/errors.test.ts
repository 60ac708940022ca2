import { describe, expect, it } from 'vitest';
import { findCommand, runAction, runCommand, type CommandSpec } from '../../../src/core/commands/index.ts';
import { PaperboyError, replyText } from '../../../src/core/model/index.ts';
import type { Store } from '../../../src/core/ports.ts';
import { noticeOf, typed } from './run-text.ts';
import { ctxOf, makeDeps } from './support.ts';

/** The real memory store with one method made to fail, as a broken disk or database would. */
function failing(store: Store, method: keyof Store, err: unknown): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === method) return async () => Promise.reject(err);
      const v = Reflect.get(target, prop, receiver);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
}

describe('runCommand error handling', () => {
  it('logs an unexpected error and answers with an apology, never the stack', async () => {
    const deps = await makeDeps([]);
    const boom = new TypeError('secret internals at /srv/app.js:12');
    const broken = { ...deps, store: failing(deps.store, 'ensureDestination', boom) };
    const r = await typed('/topics add agents', ctxOf('a'), broken);
    expect(noticeOf(r)).toBe('error: Sorry, something went wrong on our side. It has been logged; please try again in a moment.');
    expect(replyText(r)).not.toContain('secret');
    const logged = deps.logger.entries.find((e) => e.level === 'error');
    expect(logged?.obj).toMatchObject({ command: '/topics add', err: { message: boom.message } });
  });

  it('says plainly when the store fails, and that nothing changed', async () => {
    const deps = await makeDeps([]);
    const broken = { ...deps, store: failing(deps.store, 'getDestination', new PaperboyError('store', 'file is corrupt')) };
    const r = await typed('/topics list', ctxOf('a'), broken);
    expect(noticeOf(r)).toMatch(/^error: Paperboy could not reach its storage just now, so nothing was changed/);
  });

  it('turns errors thrown by a command’s own run into the matching replies', async () => {
    const deps = await makeDeps([]);
    const base = findCommand('topics', 'list')!;
    const throwing = (err: unknown): CommandSpec => ({ ...base, run: async () => Promise.reject(err) });
    const ctx = ctxOf('a');
    const usage = await runCommand(throwing(new PaperboyError('usage', 'Say which.')), ctx, {}, deps);
    expect(replyText(usage)).toBe('Say which.\nUsage: /topics list\nList your topics.');
    expect(noticeOf(await runCommand(throwing(new PaperboyError('forbidden', 'Not yours.')), ctx, {}, deps))).toBe('error: Not yours.');
    expect(noticeOf(await runCommand(throwing(new PaperboyError('limit', 'Slow down.', 'Try in a minute.')), ctx, {}, deps))).toBe('warning: Slow down.');
    expect(noticeOf(await runCommand(throwing(new PaperboyError('upstream', 'HTTP 503')), ctx, {}, deps))).toMatch(/^warning: Hugging Face could not be reached just now \(HTTP 503\)/);
    expect(noticeOf(await runCommand(throwing('a string'), ctx, {}, deps))).toMatch(/^error: Sorry/);
  });

  it('validates arguments before running: integers, choices, missing ones', async () => {
    const deps = await makeDeps([]);
    let ran = 0;
    const spec: CommandSpec = {
      command: 'papers',
      description: 'test',
      usage: '/papers N MODE',
      options: [
        { name: 'n', description: 'a number', type: 'integer', required: true },
        { name: 'mode', description: 'a mode', type: 'string', required: false, choices: ['fast', 'slow'] },
      ],
      run: async (_ctx, args) => {
        ran++;
        return { ephemeral: true, blocks: [{ type: 'text', text: JSON.stringify(args) }] };
      },
    };
    const ctx = ctxOf('a');
    expect(noticeOf(await runCommand(spec, ctx, { n: 'seven' }, deps))).toBe('error: N must be a whole number.');
    expect(noticeOf(await runCommand(spec, ctx, { n: '3', mode: 'turbo' }, deps))).toBe('error: MODE must be one of: fast, slow.');
    expect(replyText(await runCommand(spec, ctx, { n: ' 3 ', mode: 'FAST' }, deps))).toBe('{"n":3,"mode":"FAST"}');
    expect(ran).toBe(1);
  });

  it('survives a button whose action is malformed', async () => {
    const deps = await makeDeps([]);
    const r = await runAction({ type: 'page', query: '', page: Number.NaN }, ctxOf('a'), deps);
    expect(noticeOf(r)).toMatch(/^error: Say what to look for/);
    expect(noticeOf(await runAction(undefined as never, ctxOf('a'), deps))).toMatch(/^warning:/);
  });
});
