export * from './create-aws-clients.js';
