export * from './authorize-command.js';
export * from './command.js';
export * from './comment-event.js';
export * from './gather-command-request.js';
export * from './parse-command.js';
