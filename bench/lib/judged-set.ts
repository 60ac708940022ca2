/**
 * The judged relevance set (issue 12): about 30 topics over the corpus, each with a transparent
 * rule over the paper's own text (title, AI keywords, AI summary, abstract, joined by line breaks
 * so no rule spans two fields) saying which papers are relevant and, for drift guards, which must
 * never be returned. Rules are written per concept, from the ways papers write it — never from
 * what the matcher returns — and were spot-checked by reading papers (see `sample`).
 *
 * - `relevant`: the paper writes the concept in any of its forms (acronym or expansion, joined,
 *   hyphenated or spaced compound, British or American spelling, the phrase inflected);
 * - `written`: the form the topic itself is typed in; relevant papers without it use "only
 *   another form", the ones today's literal matcher misses;
 * - `drift`: papers holding only a look-alike word ("transform", "agency", "graphics").
 *
 * Shared by the vitest suite (test/relevance) and `npm run bench -- --only relevance`.
 */
import type { Paper } from '../../src/core/model/paper.ts';

export type Family = 'acronym' | 'compound' | 'spelling' | 'phrase' | 'drift';

export interface Judged {
  topic: string;
  family: Family;
  relevant: RegExp;
  written: RegExp;
  /** Only for drift guards: papers that must never be returned. */
  drift?: RegExp;
}

/** `_`: spaces or hyphens ("vision--language" too), never a line break (fields are joined by "\n"). */
const S = '(?:[ \\-\u2010\u2011\u2013]+)';
const rx = (src: string) => new RegExp(src.replace(/_/g, S), 'i');

export const JUDGED: Judged[] = [
  // Acronyms, typed either way: relevant when the paper writes the acronym or its expansion.
  { topic: 'LLM', family: 'acronym', relevant: rx('\\bLLMs?\\b|\\blarge_language_models?\\b'), written: rx('\\bLLMs?\\b') },
  { topic: 'large language models', family: 'acronym', relevant: rx('\\bLLMs?\\b|\\blarge_language_models?\\b'), written: rx('\\blarge_language_models?\\b') },
  { topic: 'MoE', family: 'acronym', relevant: rx('\\bMoEs?\\b|\\bmixtures?_of_experts?\\b'), written: rx('\\bMoEs?\\b') },
  { topic: 'mixture of experts', family: 'acronym', relevant: rx('\\bMoEs?\\b|\\bmixtures?_of_experts?\\b'), written: rx('\\bmixtures?_of_experts?\\b') },
  { topic: 'RAG', family: 'acronym', relevant: rx('\\bRAGs?\\b|\\bretrieval_augmented_generations?\\b'), written: rx('\\bRAGs?\\b') },
  { topic: 'VLM', family: 'acronym', relevant: rx('\\bVLMs?\\b|\\bvision_language_models?\\b'), written: rx('\\bVLMs?\\b') },
  { topic: 'ViT', family: 'acronym', relevant: rx('\\bViTs?\\b|\\bvision_transformers?\\b'), written: rx('\\bViTs?\\b') },
  { topic: 'RLHF', family: 'acronym', relevant: rx('\\bRLHF\\b|\\breinforcement_learning_from_human_feedback\\b'), written: rx('\\bRLHF\\b') },
  { topic: 'CoT', family: 'acronym', relevant: rx('\\bCoTs?\\b|\\bchains?_of_thoughts?\\b'), written: rx('\\bCoTs?\\b') },
  { topic: 'supervised fine-tuning', family: 'acronym', relevant: rx('\\bSFT\\b|\\bsupervised_fine_?tunings?\\b'), written: rx('\\bsupervised_fine_?tunings?\\b') },
  { topic: 'LoRA', family: 'acronym', relevant: rx('\\bLoRAs?\\b|\\blow_rank_adaptations?\\b'), written: rx('\\bLoRAs?\\b') },
  { topic: 'knowledge distillation', family: 'acronym', relevant: rx('\\bknowledge_distillations?\\b'), written: rx('\\bknowledge_distillations?\\b') },
  // Compounds: joined, hyphenated and spaced forms are one term.
  { topic: 'finetuning', family: 'compound', relevant: rx('\\bfine_?tunings?\\b'), written: rx('\\bfinetunings?\\b') },
  { topic: 'fine-tuning', family: 'compound', relevant: rx('\\bfine_?tunings?\\b'), written: rx('\\bfine_tunings?\\b') },
  { topic: 'multi-modal', family: 'compound', relevant: rx('\\bmulti_?modal\\b'), written: rx('\\bmulti_modal\\b') },
  { topic: 'multimodal', family: 'compound', relevant: rx('\\bmulti_?modal\\b'), written: rx('\\bmultimodal\\b') },
  { topic: 'pretraining', family: 'compound', relevant: rx('\\bpre_?trainings?\\b'), written: rx('\\bpretrainings?\\b') },
  { topic: 'multi-agent', family: 'compound', relevant: rx('\\bmulti_?agents?\\b'), written: rx('\\bmulti_agents?\\b') },
  { topic: 'hyperparameters', family: 'compound', relevant: rx('\\bhyper_?parameters?\\b'), written: rx('\\bhyperparameters?\\b') },
  // Spellings: British and American are one term.
  { topic: 'tokenisation', family: 'spelling', relevant: rx('\\btokeni[sz]ations?\\b'), written: rx('\\btokenisations?\\b') },
  { topic: 'quantisation', family: 'spelling', relevant: rx('\\bquanti[sz]ations?\\b'), written: rx('\\bquantisations?\\b') },
  { topic: 'modelling', family: 'spelling', relevant: rx('\\bmodell?ings?\\b'), written: rx('\\bmodellings?\\b') },
  { topic: 'behaviour', family: 'spelling', relevant: rx('\\bbehaviou?rs?\\b'), written: rx('\\bbehaviours?\\b') },
  { topic: 'optimization', family: 'spelling', relevant: rx('\\boptimi[sz]ations?\\b'), written: rx('\\boptimizations?\\b') },
  { topic: 'generalisation', family: 'spelling', relevant: rx('\\bgenerali[sz]ations?\\b'), written: rx('\\bgeneralisations?\\b') },
  // Several words name the phrase they form, not words scattered over an abstract.
  { topic: 'reward models', family: 'phrase', relevant: rx('\\brewards?_models?\\b'), written: rx('\\brewards?_models?\\b') },
  { topic: 'graph neural networks', family: 'phrase', relevant: rx('\\bgraph_neural_networks?\\b|\\bGNNs?\\b'), written: rx('\\bgraph_neural_networks?\\b') },
  { topic: 'diffusion video', family: 'phrase', relevant: rx('\\bvideo_diffusions?\\b|\\bdiffusion_videos?\\b'), written: rx('\\bdiffusion_videos?\\b') },
  { topic: 'world models', family: 'phrase', relevant: rx('\\bworlds?_models?\\b'), written: rx('\\bworlds?_models?\\b') },
  { topic: 'speculative decoding', family: 'phrase', relevant: rx('\\bspeculative_decodings?\\b'), written: rx('\\bspeculative_decodings?\\b') },
  { topic: 'policy optimization', family: 'phrase', relevant: rx('\\bpolicy_optimi[sz]ations?\\b'), written: rx('\\bpolicy_optimizations?\\b') },
  // Drift guards: inflection yes, look-alike stems never.
  { topic: 'transformers', family: 'drift', relevant: rx('\\btransformers?\\b'), written: rx('\\btransformers?\\b'), drift: rx('\\btransform(s|ed|ing|ation|ations)?\\b') },
  { topic: 'agents', family: 'drift', relevant: rx('\\bagents?\\b'), written: rx('\\bagents?\\b'), drift: rx('\\bagency\\b|\\bagentic\\b') },
  { topic: 'graph', family: 'drift', relevant: rx('\\bgraphs?\\b'), written: rx('\\bgraphs?\\b'), drift: rx('\\bgraphics\\b|\\bgraphical\\b') },
  { topic: 'planning', family: 'drift', relevant: rx('\\bplannings?\\b'), written: rx('\\bplannings?\\b'), drift: rx('\\bplan(s|ned|ner|ners)?\\b') },
];

/** The text a rule reads: every searched field, one per line. */
export function judgedText(p: Paper): string {
  return [p.title, ...(p.aiKeywords ?? []), p.aiSummary ?? '', p.abstract].join(' \n ');
}

export interface TopicScore {
  topic: string;
  family: Family;
  relevant: number;
  returned: number;
  recall: number;
  precision: number;
  /** Relevant papers using only another form than the topic's, and how many of them were found. */
  otherForm: number;
  otherFound: number;
  /** Returned papers holding only a look-alike word. */
  driftHits: number;
}

/** Scores one topic given the ids a matcher returned for it. */
export function scoreTopic(j: Judged, papers: Paper[], texts: string[], returned: Set<string>): TopicScore {
  let relevant = 0;
  let found = 0;
  let otherForm = 0;
  let otherFound = 0;
  let driftHits = 0;
  let returnedRelevant = 0;
  papers.forEach((p, i) => {
    const t = texts[i]!;
    const rel = j.relevant.test(t);
    const got = returned.has(p.id);
    if (rel) {
      relevant++;
      if (got) found++;
      if (!j.written.test(t)) {
        otherForm++;
        if (got) otherFound++;
      }
    }
    if (got && rel) returnedRelevant++;
    if (got && !rel && j.drift?.test(t)) driftHits++;
  });
  return {
    topic: j.topic, family: j.family, relevant, returned: returned.size,
    recall: relevant ? found / relevant : 1, precision: returned.size ? returnedRelevant / returned.size : 1,
    otherForm, otherFound, driftHits,
  };
}

export interface Summary {
  macroRecall: number;
  /** Recall over every "only another form" paper of every topic. */
  otherFormRecall: number;
  macroPrecision: number;
  microPrecision: number;
  minPhrasePrecision: number;
  driftHits: number;
}

export function summarize(scores: TopicScore[]): Summary {
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const other = scores.reduce((a, s) => a + s.otherForm, 0);
  const returned = scores.reduce((a, s) => a + s.returned, 0);
  return {
    macroRecall: mean(scores.map((s) => s.recall)),
    otherFormRecall: other ? scores.reduce((a, s) => a + s.otherFound, 0) / other : 1,
    macroPrecision: mean(scores.map((s) => s.precision)),
    microPrecision: returned ? scores.reduce((a, s) => a + s.precision * s.returned, 0) / returned : 1,
    minPhrasePrecision: Math.min(...scores.filter((s) => s.family === 'phrase' || s.topic.includes(' ')).map((s) => s.precision)),
    driftHits: scores.reduce((a, s) => a + s.driftHits, 0),
  };
}
