export * from './notify-webhook.js';
