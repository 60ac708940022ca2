export { createDiscordAdapter, type DiscordAdapter, type DiscordAdapterOptions } from './adapter.ts';
export { registerDiscordCommands, buildCommands, type CommandJson, type RegisterResult } from './commands.ts';
export { renderReply, embedLength, type DiscordMessage } from './render.ts';
export { ActionCodec } from './custom-id.ts';
export { toDeliveryError } from './errors.ts';
export { LIMITS } from './text.ts';
export { createDiscordHttpAdapter, type DiscordHttpAdapter, type DiscordHttpAdapterOptions } from './http-adapter.ts';
export { INTERACTIONS_PATH } from './http-interactions.ts';
export { publicKeyOf, PUBLIC_KEY_FORM } from './signature.ts';
