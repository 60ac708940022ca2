/** Acronyms mined from the papers, compounds, spellings and plain-word phrases, with their guards. */
import { describe, expect, it } from 'vitest';
import { createSearchIndex, paperMatches } from '../../../src/core/search/index.ts';
import { mineDefinitions } from '../../../src/core/search/acronyms.ts';
import { Lexicon } from '../../../src/core/search/lexicon.ts';
import { spellingCandidates } from '../../../src/core/search/spellings.ts';
import { paper } from './helpers.ts';

const ids = (r: { hits: { paper: { id: string } }[] }) => r.hits.map((h) => h.paper.id).sort();
const defs = (text: string) => mineDefinitions(text).map((d) => `${d.short}=${d.long.join(' ')}`);

describe('acronym definitions (Schwartz–Hearst)', () => {
  it('finds long forms before and after the parenthesis, hyphens and plurals included', () => {
    expect(defs('We study large language models (LLMs) and Mixture-of-Experts (MoE) layers.')).toEqual(['llm=large language model', 'moe=mixture of expert']);
    expect(defs('Trained with Proximal Policy Optimization (PPO).')).toEqual(['ppo=proximal policy optimization']);
    expect(defs('We fine-tune with low-rank adaptation (LoRA).')).toEqual(['lora=low rank adaptation']);
    expect(defs('An LLM (large language model) answers.')).toEqual(['llm=large language model']);
    // "RMs" is kept as "rm": the token "rms" is also RMS, root mean square.
    expect(defs('We train reward models (RMs).')).toEqual(['rm=reward model']);
  });

  it('ignores parentheses that define nothing', () => {
    expect(defs('Results improve (see Fig. 2) on many tasks (e.g., QA, MT) by 3% (p < 0.01).')).toEqual([]);
    expect(defs('It is fast (Ours). The cat (CAT).')).toEqual([]);
    expect(defs('no parenthesis at all')).toEqual([]);
  });

  it('reads a parenthesis of 2-40 characters holding no other, up to its first comma or semicolon', () => {
    // The nested one defines nothing; the next one does.
    expect(defs('A graph neural network (GNN (ours)) and a graph neural network (GNN) here.')).toEqual(['gnn=graph neural network']);
    // Over 40 characters inside: not a definition.
    expect(defs(`Retrieval augmented generation (RAG${' x'.repeat(20)}) and retrieval augmented generation (RAG; see below).`)).toEqual(['rag=retrieval augmented generation']);
    expect(defs('Vision transformers (ViTs, in short)')).toEqual(['vit=vision transformer']);
    expect(defs('Unclosed large language models (LLMs')).toEqual([]);
  });
});

describe('topics read through what the papers teach', () => {
  const defining = paper({ title: 'Scaling', abstract: 'Large language models (LLMs) are strong.' });
  const longOnly = paper({ title: 'Reasoning in large language models' });
  const shortOnly = paper({ title: 'LLMs as judges' });
  const other = paper({ title: 'Diffusion models for images' });

  it('matches an acronym and its expansion both ways, and says which form matched', () => {
    const ix = createSearchIndex([defining, longOnly, shortOnly, other]);
    expect(ids(ix.search('LLM'))).toEqual([defining.id, longOnly.id, shortOnly.id].sort());
    expect(ids(ix.search('large language models'))).toEqual([defining.id, longOnly.id, shortOnly.id].sort());
    const why = new Map(ix.search('LLM').hits.map((h) => [h.paper.id, h.matched]));
    expect(why.get(longOnly.id)).toEqual(['LLM (as "large language models")']);
    expect(why.get(shortOnly.id)).toEqual(['LLM']);
    expect(ix.search('large language models').hits.find((h) => h.paper.id === shortOnly.id)!.matched).toEqual(['large language models (as "LLM")']);
    // An excluded acronym excludes its expansion too; quoted phrases stay literal.
    expect(ix.search('models -LLM').hits.map((h) => h.paper.title)).toEqual([other.title]);
    expect(ids(ix.search('"large language models"'))).toEqual([defining.id, longOnly.id].sort());
  });

  it('learns definitions as papers are added, with counts that survive a round trip', () => {
    const ix = createSearchIndex([longOnly, shortOnly]);
    expect(ids(ix.search('LLM'))).toEqual([shortOnly.id]);
    ix.add([defining]);
    expect(ids(ix.search('LLM'))).toEqual([defining.id, longOnly.id, shortOnly.id].sort());
    ix.add([defining]); // the same paper again (a refresh) is not counted twice
    expect(ix.lexicon.definitions('llm')).toBe(1);
    const again = createSearchIndex([longOnly, shortOnly]);
    again.lexicon.load(ix.lexicon.toJSON());
    expect(again.lexicon.definitions('llm')).toBe(1);
    expect(ids(again.search('LLM'))).toEqual([longOnly.id, shortOnly.id].sort());
  });

  it('shows an expansion as the papers most often write it, the same whatever order they came in', () => {
    const vocab = { df: () => 1, hyphenated: () => 0 };
    const defs: [string, string][] = [['vit', 'vision transformer'], ['vit', 'vision transformers'], ['vit', 'vision transformers'], ['vit', 'vision transformer']];
    const shown = (order: [string, string][]) => {
      const lex = new Lexicon(vocab);
      for (const [short, long] of order) lex.add(short, ['vision', 'transformer'], long, 1);
      return lex.expansions('vit')[0]!.shown;
    };
    // A tie goes to the longer (acronyms are mostly defined in the plural), in either order.
    expect(shown(defs)).toBe('vision transformers');
    expect(shown([...defs].reverse())).toBe('vision transformers');
    expect(shown([...defs, ['vit', 'vision transformer']])).toBe('vision transformer');
    // Learnt from abstracts (counted in when first read) as from add.
    const lex = new Lexicon(vocab);
    lex.learn('Vision Transformer (ViT) here. Vision Transformers (ViTs) there.');
    lex.learn('Vision Transformers (ViTs) again.');
    expect(lex.expansions('vit')[0]!.shown).toBe('vision transformers');
    expect(lex.definitions('vit')).toBe(3);
  });

  it("forgets a removed paper's definition: its long form reads as itself again", () => {
    const ix = createSearchIndex([defining, longOnly]);
    expect(ix.search('large language models').hits[0]!.matched.length).toBe(1);
    ix.remove([defining.id]);
    expect(ix.lexicon.definitions('llm')).toBe(0);
    expect(ids(ix.search('large language models'))).toEqual([longOnly.id]);
    expect(ids(ix.search('LLM'))).toEqual([]);
    ix.add([shortOnly, defining]);
    expect(ids(ix.search('large language models'))).toEqual([defining.id, longOnly.id, shortOnly.id].sort());
  });

  it('reads an acronym of several meanings as each frequent one, and a minor meaning not as the acronym', () => {
    const speech = Array.from({ length: 6 }, (_, i) => paper({ title: `Speech ${i}`, abstract: 'Automatic speech recognition (ASR) in noise.' }));
    const attack = Array.from({ length: 3 }, (_, i) => paper({ title: `Jailbreak ${i}`, abstract: 'We raise the attack success rate (ASR) of jailbreaks.' }));
    const stray = paper({ title: 'Stray', abstract: 'Adaptive sampling refinement (ASR) once.' });
    const asrOnly = paper({ title: 'ASR for children' });
    const refinementOnly = paper({ title: 'Adaptive sampling refinement again' });
    const speechOnly = paper({ title: 'Automatic speech recognition for children' });
    const ix = createSearchIndex([...speech, ...attack, stray, asrOnly, refinementOnly, speechOnly]);
    const reading = ix.explain('ASR');
    expect(reading.forms).toEqual(['ASR = "automatic speech recognition", "attack success rate"']);
    // Every paper writing ASR, and the one writing only a frequent meaning; not the stray meaning (1 of 10 definitions).
    expect(ix.search('ASR', { limit: 50 }).hits.map((h) => h.paper.title).sort()).toEqual([...speech, ...attack, stray, asrOnly, speechOnly].map((p) => p.title).sort());
    // 60% of ASR's definitions: "automatic speech recognition" does not read as ASR either (below 80%).
    expect(ix.search('attack success rate').total).toBe(3);
    expect(ix.search('automatic speech recognition').total).toBe(7); // its own papers, not ASR-only ones
  });

  it('never expands a common word that looks like an acronym', () => {
    const it1 = paper({ title: 'IT systems', abstract: 'Information technology (IT) budgets.' });
    const common = Array.from({ length: 80 }, (_, i) => paper({ title: `Paper ${i}`, abstract: 'We show it works.' }));
    const ix = createSearchIndex([it1, ...common]);
    expect(ix.search('information technology').total).toBe(1);
    expect(ix.search('IT').hits.every((h) => !h.matched.join().includes(' (as '))).toBe(true);
  });

  it('treats a compound as one term only when the papers write it hyphenated', () => {
    const joined = paper({ title: 'Multimodal reasoning' });
    // The joined form must be a word of a few papers (MIN_JOINED_DF) when the query is spaced.
    const more = [paper({ title: 'Multimodal agents' }), paper({ title: 'Multimodal models' })];
    const hyphen = paper({ title: 'Multi-modal fusion' });
    const spaced = paper({ title: 'Multi modal retrieval' });
    const maybe = paper({ title: 'It may be right', abstract: 'maybe' });
    const ix = createSearchIndex([joined, ...more, hyphen, spaced, maybe]);
    for (const q of ['multimodal', 'multi-modal', 'multi modal']) expect(ids(ix.search(q)), q).toEqual([joined, ...more, hyphen, spaced].map((p) => p.id).sort());
    expect(ix.search('multimodal').hits.find((h) => h.paper.id === hyphen.id)!.matched).toEqual(['multimodal (as "multi-modal")']);
    // "may be" is never written "may-be": "maybe" stays one word.
    expect(ids(ix.search('maybe'))).toEqual([maybe.id]);
  });

  it('merges British and American spellings the papers use, and no unrelated words', () => {
    expect(spellingCandidates('tokenisation')).toEqual(['tokenization']);
    expect(spellingCandidates('behaviour')).toEqual(['behavior']);
    expect(spellingCandidates('modelling')).toEqual(['modeling']);
    expect(spellingCandidates('centre')).toEqual(['center']);
    for (const w of ['four', 'hour', 'your', 'floor', 'filling', 'rise', 'noise', 'size']) expect(spellingCandidates(w), w).toEqual([]);
    const uk = paper({ title: 'Tokenisation matters' });
    const us = paper({ title: 'Tokenization matters' });
    const ix = createSearchIndex([uk, us, paper({ title: 'Four for all' })]);
    expect(ids(ix.search('tokenization'))).toEqual([uk.id, us.id].sort());
    expect(ids(ix.search('tokenisation'))).toEqual([uk.id, us.id].sort());
    expect(ix.search('four').total).toBe(1);
  });

  it('reads plain words as the phrase they form; +word and AND read words anywhere', () => {
    const phrase = paper({ title: 'Process reward models', abstract: 'A reward-model study.' });
    const hyphen = paper({ title: 'Reward-model ensembles' });
    const scattered = paper({ title: 'Reward shaping', abstract: 'Large models learn.' });
    const reversed = paper({ title: 'Video diffusion models' });
    const ix = createSearchIndex([phrase, hyphen, scattered, reversed]);
    expect(ids(ix.search('reward models'))).toEqual([phrase.id, hyphen.id].sort());
    expect(ids(ix.search('reward AND models'))).toEqual([phrase.id, hyphen.id, scattered.id].sort());
    expect(ids(ix.search('+reward +models'))).toEqual([phrase.id, hyphen.id, scattered.id].sort());
    expect(ids(ix.search('diffusion video'))).toEqual([reversed.id]);
    expect(ix.search('diffusion video').hits[0]!.matched).toEqual(['diffusion video (as "video diffusion")']);
    for (const q of ['reward models', 'reward AND models', 'diffusion video']) {
      expect(ids(ix.search(q)), q).toEqual([phrase, hyphen, scattered, reversed].filter((p) => paperMatches(q, p, ix.lexicon)).map((p) => p.id).sort());
    }
  });
});

describe('digests name the form a topic matched', () => {
  it('labels a topic matched through another form, once per paper, in the destination’s order', async () => {
    const { mergeHits } = await import('../../../src/core/digests/index.ts');
    const a = paper({ title: 'Reasoning in large language models', abstract: 'Agents plan.' });
    const b = paper({ title: 'LLM agents' });
    const ix = createSearchIndex([a, b, paper({ title: 'Scaling', abstract: 'Large language models (LLMs).' })]);
    const topics = ['agents', 'LLM'];
    const byTopic = new Map(topics.map((t) => [t, ix.search(t, { limit: Infinity }).hits]));
    const merged = new Map(mergeHits(byTopic, topics).map((h) => [h.paper.id, h.matched]));
    expect(merged.get(a.id)).toEqual(['agents', 'LLM (as "large language models")']);
    expect(merged.get(b.id)).toEqual(['agents', 'LLM']);
  });
});
