export { renderReply, MAX_BLOCKS, type SlackMessage, type SlackBlock } from './render.ts';
export { encodeAction, decodeAction, ACTION_PREFIX } from './action-value.ts';
export { escapeMrkdwn, safeMrkdwn } from './escape.ts';
