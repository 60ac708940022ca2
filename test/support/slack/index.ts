export * from './web-api-stand-in.ts';
export * from './socket-stand-in.ts';
export * from './sign.ts';
export * from './block-limits.ts';
