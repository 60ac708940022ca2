export { readCorpus, countCorpusLines, type CorpusLine } from './read-corpus.ts';
export { importCorpus, type ImportOptions, type ImportResult, type ImportProblem } from './import-corpus.ts';
