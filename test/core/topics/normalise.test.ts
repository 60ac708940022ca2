import { describe, expect, it } from 'vitest';
import { fold, inflect, rawTokens, terms } from '../../../src/core/topics/index.ts';

describe('terms', () => {
  it('folds case, diacritics and compatibility forms', () => {
    expect(fold('Café NAÏVE')).toBe('cafe naive');
    expect(terms('ﬁne-tuning')).toEqual(['fine', 'tuning']);
    expect(terms('ＧＰＴ－４')).toEqual(['gpt', '4']);
    expect(terms('İstanbul Ǆ')).toEqual(['istanbul', 'dz']);
  });

  it('splits on punctuation and hyphens, keeps letters of every script', () => {
    expect(terms('Vision Transformers (ViTs)')).toEqual(['vision', 'transformer', 'vit']);
    expect(terms('Transformer-based')).toEqual(['transformer', 'based']);
    expect(terms('模型 שלום مرحبا')).toEqual(['模型', 'שלום', 'مرحبا']);
  });

  it('strips plurals and possessives, nothing more', () => {
    const cases: [string, string][] = [
      ['transformers', 'transformer'], ["transformer's", 'transformer'], ['Transformer’s', 'transformer'],
      ['LLMs', 'llm'], ['GPUs', 'gpu'], ['APIs', 'api'], ['policies', 'policy'], ['classes', 'class'],
      ['approaches', 'approach'], ['images', 'image'], ['sizes', 'size'], ['biases', 'bias'], ['bias', 'bias'],
      ['caches', 'cache'], ['loss', 'loss'], ['corpus', 'corpus'], ['analysis', 'analysis'], ['gas', 'gas'],
      ['transforming', 'transforming'], ['transform', 'transform'], ['transformed', 'transformed'],
    ];
    for (const [word, term] of cases) expect(terms(word), word).toEqual([term]);
    expect(inflect('transformer')).toBe('transformer');
    // Words that name Object.prototype members are words like any other.
    expect(terms('constructor toString valueOf __proto__ hasOwnProperty')).toEqual(['constructor', 'tostring', 'valueof', 'proto', 'hasownproperty']);
  });

  it('keeps author names as written (no plural stripping)', () => {
    expect(rawTokens('Jason Williams')).toEqual(['jason', 'williams']);
    expect(rawTokens("Conan O'Brien")).toEqual(['conan', 'obrien']);
  });

  it('treats emoji, control and format characters as separators', () => {
    expect(terms('diffusion🙂models\u0000rock\u202eon')).toEqual(['diffusion', 'model', 'rock', 'on']);
    expect(terms('🙂🙂 \u200d')).toEqual([]);
  });
});
