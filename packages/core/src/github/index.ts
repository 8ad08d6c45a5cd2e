export * from './tag-source.js';
