/**
 * The import rules of docs/architecture.md, kept true: the core imports no platform, store or
 * scheduler library (and nothing outside src/core); an adapter imports no other adapter and does
 * not reach into the scheduler; the store imports no platform library; the CLI uses an adapter
 * only through its index. Imports are read from the sources (static, dynamic and `export from`).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const PLATFORM = /^(discord\.js|discord-api-types|@discordjs\/|@slack\/)/;
const STORE = /^(lowdb|pg|pg-boss)(\/|$)/;
const SCHEDULER = /^(node-cron|pg-boss)(\/|$)/;

/** Source file (relative to the repo) -> what it imports: packages as named, relative paths resolved to repo paths. */
type Imports = Map<string, string[]>;

function* tsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* tsFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  // Comments may mention imports; strip them first.
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"]([^'"]+)['"]/gm)) {
    const spec = m[1]!;
    out.push(spec.startsWith('.') ? relative(ROOT, resolve(dirname(join(ROOT, file)), spec)) : spec);
  }
  return out;
}

function readSources(): Imports {
  const map: Imports = new Map();
  for (const path of tsFiles(join(ROOT, 'src'))) {
    const file = relative(ROOT, path);
    map.set(file, importsOf(file, readFileSync(path, 'utf8')));
  }
  return map;
}

const adapterOf = (path: string) => /^src\/bots\/([^/]+)\//.exec(path)?.[1];

/** Every broken rule, one line each. */
export function violations(imports: Imports): string[] {
  const out: string[] = [];
  for (const [file, list] of imports) {
    for (const imp of list) {
      const local = imp.startsWith('src/');
      if (file.startsWith('src/core/')) {
        if (PLATFORM.test(imp) || STORE.test(imp) || SCHEDULER.test(imp)) out.push(`${file}: the core imports the library ${imp}`);
        if (local && !imp.startsWith('src/core/')) out.push(`${file}: the core imports ${imp} from outside src/core`);
      }
      const mine = adapterOf(file);
      const theirs = local ? adapterOf(imp) : undefined;
      if (mine && theirs && mine !== theirs) out.push(`${file}: the ${mine} adapter imports the ${theirs} adapter (${imp})`);
      if (mine && (imp.startsWith('src/schedule/') || imp.startsWith('src/jobs/'))) out.push(`${file}: the ${mine} adapter reaches into the scheduler (${imp})`);
      if (file.startsWith('src/cli/') && local && theirs && !imp.endsWith('/index.ts')) out.push(`${file}: the CLI reaches inside the ${theirs} adapter (${imp})`);
      if (file.startsWith('src/store/')) {
        if (PLATFORM.test(imp)) out.push(`${file}: the store imports the platform library ${imp}`);
        if (local && imp.startsWith('src/bots/')) out.push(`${file}: the store imports an adapter (${imp})`);
      }
    }
  }
  return out;
}

describe('import rules (docs/architecture.md)', () => {
  it('hold over every file under src/', () => {
    const imports = readSources();
    expect(imports.size).toBeGreaterThan(100);
    // The reader really sees imports: the Discord adapter imports discord.js.
    expect(imports.get('src/bots/discord/adapter.ts')).toContain('discord.js');
    expect(violations(imports)).toEqual([]);
  });

  it('catches each kind of break (the checker is not vacuous)', () => {
    const sample: Imports = new Map([
      ['src/core/search/x.ts', importsOf('src/core/search/x.ts', "import { Client } from 'discord.js';\nconst c = await import('../../store/index.ts');\nimport 'node-cron';")],
      ['src/bots/slack/y.ts', importsOf('src/bots/slack/y.ts', "export { renderReply } from '../discord/render.ts';\n// import from '../shell/x.ts' in a comment does not count")],
      ['src/store/postgres/z.ts', importsOf('src/store/postgres/z.ts', "import type { Installation } from '@slack/bolt';")],
      ['src/bots/shell/w.ts', importsOf('src/bots/shell/w.ts', "import { fetchDays } from '../../schedule/index.ts';")],
      ['src/cli/commands/v.ts', importsOf('src/cli/commands/v.ts', "import { createProgressBar } from '../../bots/shell/progress.ts';")],
    ]);
    expect(violations(sample)).toEqual([
      'src/core/search/x.ts: the core imports the library discord.js',
      'src/core/search/x.ts: the core imports src/store/index.ts from outside src/core',
      'src/core/search/x.ts: the core imports the library node-cron',
      'src/bots/slack/y.ts: the slack adapter imports the discord adapter (src/bots/discord/render.ts)',
      'src/store/postgres/z.ts: the store imports the platform library @slack/bolt',
      'src/bots/shell/w.ts: the shell adapter reaches into the scheduler (src/schedule/index.ts)',
      'src/cli/commands/v.ts: the CLI reaches inside the shell adapter (src/bots/shell/progress.ts)',
    ]);
  });
});
