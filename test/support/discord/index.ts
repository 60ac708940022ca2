export * from './stand-in.ts';
export * from './fixtures.ts';
export * from './openapi-validator.ts';
export * from './checks.ts';
export type { InteractionRecord, RouteState } from './routes.ts';
export * from './sign.ts';
