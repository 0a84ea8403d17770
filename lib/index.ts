// The public surface of nestjs-oauth.
export * from './core/index.js';
