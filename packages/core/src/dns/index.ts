export * from './cloudflare-error.js';
export * from './delete-preview-records.js';
export * from './dns-mode.js';
export * from './find-zone-id.js';
export * from './list-records.js';
export * from './owner-comment.js';
export * from './upsert-preview-record.js';
export * from './create-cloudflare-client.js';
