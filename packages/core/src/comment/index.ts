export * from './environment-facts.js';
export * from './render-command-help.js';
export * from './render-environment-comment.js';
export * from './safe-link.js';
export * from './truncate-markdown.js';
export * from './post-sticky-comment.js';
export * from './handle-command.js';
