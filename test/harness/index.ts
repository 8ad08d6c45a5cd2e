export * from './action-metadata.js';
export * from './expressions.js';
export * from './paths.js';
export * from './run-action.js';
export * from './workflow-commands.js';
export * from './events.js';
export * from './action-template.js';
