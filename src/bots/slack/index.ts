export { createSlackAdapter, defaultSlackTuning, HISTORY_SCOPES, type SlackAdapter, type SlackAdapterOptions, type SlackTuning } from './adapter.ts';
export { renderReply, withoutImages, MAX_BLOCKS, type SlackMessage, type SlackBlock } from './render.ts';
export { encodeAction, decodeAction, ACTION_PREFIX } from './action-value.ts';
export { escapeMrkdwn, safeMrkdwn, unescapeSlackText } from './escape.ts';
export { SLASH_COMMANDS } from './listeners.ts';
export { boltInstallationStore, type SlackInstallations } from './installation-store.ts';
export { createSlackDelivery } from './deliver.ts';
export { toDeliveryError } from './slack-errors.ts';
export { slackOAuthConfig, slackOAuthAppOptions, INSTALL_PATH, REDIRECT_PATH, OAUTH_BOT_SCOPES, type SlackOAuthConfig, type SlackOAuthSetup } from './oauth.ts';
