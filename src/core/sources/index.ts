export * from './hf/index.ts';
export * from './arxiv/index.ts';
