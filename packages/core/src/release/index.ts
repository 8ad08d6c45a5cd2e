export * from './promote-release.js';
export * from './service-images.js';
export * from './target-tags.js';
export * from './record-promotion.js';
export * from './roll-back-release.js';
export * from './ecs-service-mapping.js';
