export * from './paper.ts';
export * from './destination.ts';
export * from './errors.ts';
export * from './reply.ts';
export * from './merge-paper.ts';
export * from './paper-facts.ts';
