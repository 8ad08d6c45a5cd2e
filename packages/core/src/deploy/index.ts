export * from './basic-auth.js';
export * from './deploy-preview.js';
export * from './preview-urls.js';
