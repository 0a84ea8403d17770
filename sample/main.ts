/**
 * `npm run sample`: starts the sample app on http://127.0.0.1:3000 (`PORT`)
 * and its local OpenID provider on port 3001 (`OIDC_PORT`); `PLATFORM=fastify`
 * runs it on Fastify instead of Express.
 */
import { startSample } from './sample.js';

function port(name: string, fallback: number): number {
  const value = process.env[name];
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new Error(`${name} must be a port number (0-65535)`);
  }
  return n;
}

const platform = process.env.PLATFORM === 'fastify' ? 'fastify' : 'express';
const sample = await startSample({
  platform,
  port: port('PORT', 3000),
  oidcPort: port('OIDC_PORT', 3001),
  host: process.env.HOST || '127.0.0.1',
}).catch((err: NodeJS.ErrnoException) => {
  const hint = err.code === 'EADDRINUSE' ? ' (set PORT / OIDC_PORT to use other ports)' : '';
  console.error(`The sample could not start: ${err.message}${hint}`);
  process.exit(1);
});

console.log(`
  nestjs-oauth sample is running (${platform}).

  Open ${sample.url} and sign in with the local OpenID provider
  (${sample.issuer}) as alice / wonderland or bob / builder.

  Press Ctrl+C to stop.
`);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (stopping) return;
    stopping = true;
    sample.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  });
}
