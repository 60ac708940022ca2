import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaperboyError } from '../../../src/core/model/errors.ts';
import { canonicalQuery, parseQuery, type ParsedQuery } from '../../../src/core/topics/index.ts';

const shape = (q: ParsedQuery) => ({
  groups: q.groups.map((g) => g.clauses.map((c) => `${c.kind}:${c.terms.join(' ')}`)),
  exclude: q.exclude.map((c) => `${c.kind}:${c.terms.join(' ')}`),
});

function failure(input: string): PaperboyError {
  try {
    parseQuery(input);
  } catch (e) {
    expect(e).toBeInstanceOf(PaperboyError);
    expect((e as PaperboyError).code).toBe('invalid_query');
    return e as PaperboyError;
  }
  throw new Error(`expected ${JSON.stringify(input)} to be rejected`);
}

describe('parseQuery', () => {
  it('reads words, phrases, exclusions and authors', () => {
    const q = parseQuery('Diffusion "video generation" -3D author:"Yann LeCun" author:Hinton');
    expect(shape(q)).toEqual({
      groups: [['text:diffusion', 'text:video generation', 'author:yann lecun', 'author:hinton']],
      exclude: ['text:3d'],
    });
    expect(q.groups[0]!.clauses.map((c) => c.text)).toEqual([
      'Diffusion', '"video generation"', 'author:"Yann LeCun"', 'author:Hinton',
    ]);
  });

  it('makes | separate AND-groups and applies exclusions to the whole query', () => {
    const q = parseQuery('vision transformers | mamba -video');
    expect(shape(q)).toEqual({ groups: [['text:vision transformer'], ['text:mamba']], exclude: ['text:video'] });
  });

  it('matches a hyphenated or dotted word as a phrase', () => {
    const q = parseQuery('GPT-4 +vision-language');
    expect(q.groups[0]!.clauses.map((c) => c.terms)).toEqual([['gpt', '4'], ['vision', 'language']]);
  });

  it('accepts curly quotes, skips symbols with nothing to search and drops duplicates', () => {
    expect(shape(parseQuery('“flow matching” & 🙂 Flow flows'))).toEqual({
      groups: [['text:flow matching', 'text:flow']],
      exclude: [],
    });
  });

  it('gives equal canonical text to queries that mean the same', () => {
    expect(canonicalQuery(parseQuery('Transformers  vision'))).toBe(canonicalQuery(parseQuery('vision transformer')));
    expect(canonicalQuery(parseQuery('a b'))).not.toBe(canonicalQuery(parseQuery('a | b')));
  });

  it('rejects malformed input with a message saying what is wrong', () => {
    expect(failure('').message).toMatch(/empty/);
    expect(failure('   \u200b ').message).toMatch(/empty/);
    expect(failure('"diffusion model').message).toMatch(/quote is not closed/);
    expect(failure('-video -3d').message).toMatch(/only excludes/);
    expect(failure('diffusion |').message).toMatch(/Each side of \|/);
    expect(failure('| diffusion').message).toMatch(/Each side of \|/);
    expect(failure('a || b').message).toMatch(/Each side of \|/);
    expect(failure('a | -b').message).toMatch(/Each side of \|/);
    expect(failure('x'.repeat(201)).message).toMatch(/too long \(201 characters, at most 200\)/);
    expect(failure('🙂 !!! ...').message).toMatch(/no letters or digits/);
    expect(failure('author:').message).toMatch(/author: needs a name/);
    expect(failure('author:"🙂"').message).toMatch(/no letters or digits/);
    expect(failure(Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ')).message).toMatch(/too many parts/);
    expect(failure('a |').hint).toMatch(/author:"Yann LeCun"/);
  });

  it('never throws anything but invalid_query on odd Unicode', () => {
    const piece = fc.oneof(
      fc.constantFrom('"', '|', '-', 'author:', ' ', '\u202e', '\u200f', '\u0301', '🙂', '👩‍🔬', '\u0000', '\u001b[31m', 'ﬁ', 'İ', 'ß', '\ud800', '\udfff', 'עברית', '模型', 'word', 'Transformers'),
      fc.string({ unit: 'binary', maxLength: 8 }),
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (parts) => {
        const input = parts.join('');
        try {
          const q = parseQuery(input);
          expect(q.groups.length).toBeGreaterThan(0);
          for (const g of q.groups) expect(g.clauses.length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(PaperboyError);
          expect((e as PaperboyError).code).toBe('invalid_query');
        }
      }),
      { numRuns: 400 },
    );
  });
});
