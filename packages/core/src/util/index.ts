export * from './map-concurrent.js';
