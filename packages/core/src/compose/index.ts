export * from './deploy-compose.js';
export * from './pin-env-file.js';
export * from './wait-for-health.js';
