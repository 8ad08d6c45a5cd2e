export * from './classify-tag.js';
export * from './compare-tags.js';
export * from './parse-tag.js';
