export * from './build-double-tag.js';
export * from './build-targets.js';
export * from './buildah-builder.js';
export * from './command-runner.js';
export * from './docker-builder.js';
export * from './image-builder.js';
export * from './image-labels.js';
export * from './read-tag-mutability.js';
