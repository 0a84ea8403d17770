/**
 * Starts the sample: the local OpenID provider and, beside it in the same
 * process, the Nest app that signs in with it (and with any provider whose
 * keys are configured).
 */
import 'reflect-metadata';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { AppModule } from './app.module.js';
import { freePort } from './free-port.js';
import { startLocalProvider, type LocalProvider } from './local-provider.js';

/** Options of {@link startSample}. */
export interface SampleOptions {
  /** The app's port (default 3000; 0 for any free port). */
  port?: number;
  /** The local provider's port (default 3001; 0 for any free port). */
  oidcPort?: number;
  /** Interface both bind to (default 127.0.0.1). */
  host?: string;
  /** The HTTP platform: `express` (default) or `fastify`. */
  platform?: 'express' | 'fastify';
  /** Nest log levels (default: log, warn, error), a logger, or `false` for none. */
  logger?: LogLevel[] | LoggerService | false;
  /** Lifetime of the local provider's access tokens in seconds (default 300). */
  accessTokenTtl?: number;
}

/** A running sample. */
export interface RunningSample {
  /** The app's address: open it in a browser. */
  url: string;
  /** The local provider's issuer. */
  issuer: string;
  /** The Nest application. */
  app: INestApplication;
  /** Stops the app and the provider. */
  close(): Promise<void>;
}

/** Starts the local provider and the app; resolves once both listen. */
export async function startSample(options: SampleOptions = {}): Promise<RunningSample> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? ['log', 'warn', 'error'];
  const provider: LocalProvider = await startLocalProvider({
    port: options.oidcPort ?? 3001,
    host,
    platform: options.platform,
    logger,
    accessTokenTtl: options.accessTokenTtl,
  });
  let app: INestApplication | undefined;
  try {
    const port = options.port === 0 ? await freePort(host) : (options.port ?? 3000);
    const origin = `http://${urlHost(host)}:${port}`;
    // The callback URL follows the address the browser used: accept the usual local names.
    const origins = new Set([origin, `http://localhost:${port}`, `http://127.0.0.1:${port}`]);
    await provider.setRedirectUris([...origins].map((o) => `${o}/callback/local`));

    // The app reads its settings through ConfigService, from the environment.
    process.env.LOCAL_ISSUER = provider.issuer;
    process.env.LOCAL_CLIENT_ID = provider.clientId;
    process.env.LOCAL_CLIENT_SECRET = provider.clientSecret;
    app =
      options.platform === 'fastify'
        ? await NestFactory.create(AppModule, new FastifyAdapter(), { logger })
        : await NestFactory.create(AppModule, { logger });
    await app.listen(port, host);
    const running = app;
    return {
      url: `${origin}/`,
      issuer: provider.issuer,
      app: running,
      close: async () => {
        await running.close();
        await provider.close();
      },
    };
  } catch (err) {
    await app?.close().catch(() => undefined);
    await provider.close();
    throw err;
  }
}

/** How a browser reaches `host`: a wildcard address becomes `localhost`; IPv6 gets brackets. */
export function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return 'localhost';
  return host.includes(':') ? `[${host}]` : host;
}
