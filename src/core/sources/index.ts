export * from './hf/index.ts';
