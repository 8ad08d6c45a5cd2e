export * from './notify-format.js';
export * from './notify-webhook.js';
export * from './release-notice.js';
export * from './render-json-notice.js';
export * from './render-slack-message.js';
export * from './render-teams-card.js';
