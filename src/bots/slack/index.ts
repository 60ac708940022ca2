export { renderReply, MAX_BLOCKS, type SlackMessage, type SlackBlock } from './render.ts';
export { encodeAction, decodeAction, ACTION_PREFIX } from './action-value.ts';
export { escapeMrkdwn, safeMrkdwn } from './escape.ts';
export { createSlackAdapter, defaultSlackTuning, type SlackAdapter, type SlackAdapterOptions, type SlackTuning } from './adapter.ts';
export { createSlackDelivery } from './deliver.ts';
export { toDeliveryError } from './slack-errors.ts';
