/**
 * A local OpenID Connect provider for the sample, built with this library's
 * own authorization server module (`OAuth2ServerModule`): a Nest app of its
 * own on 127.0.0.1 (Express or Fastify, as the sample), with a demo client,
 * two demo accounts and its own login and consent pages
 * (`provider/provider.controller.ts`).
 *
 * Everything lives in memory and is lost on restart.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { INestApplication, LoggerService, LogLevel } from '@nestjs/common';
import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { MemoryOAuth2ServerStorage, OAuth2ServerModule } from '../lib/index.js';
import { DEMO_ACCOUNTS } from './provider/demo-accounts.js';
import { LoginTickets } from './provider/login-tickets.js';
import { ProviderController } from './provider/provider.controller.js';
import { freePort } from './free-port.js';

export { DEMO_ACCOUNTS, type DemoAccount } from './provider/demo-accounts.js';

/** Options of {@link startLocalProvider}. */
export interface LocalProviderOptions {
  /** Port to listen on. */
  port: number;
  /** Interface to bind (default 127.0.0.1). */
  host?: string;
  /** The HTTP platform: `express` (default) or `fastify`. */
  platform?: 'express' | 'fastify';
  /** Nest log levels, a logger, or `false` for none. */
  logger?: LogLevel[] | LoggerService | false;
  /** Lifetime of access tokens in seconds (default 300, so refreshes are visible). */
  accessTokenTtl?: number;
}

/** A running local provider. */
export interface LocalProvider {
  /** The issuer, `http://127.0.0.1:PORT`. */
  issuer: string;
  /** The demo client's id. */
  clientId: string;
  /** The demo client's secret (random on every start). */
  clientSecret: string;
  /** Registers the app's callback URLs (once the app knows its port). */
  setRedirectUris(uris: string[]): Promise<void>;
  /** Stops the server. */
  close(): Promise<void>;
}

const CLIENT_ID = 'nestjs-oauth-sample';

/**
 * Starts the provider. Its client is registered without redirect URIs;
 * call `setRedirectUris` once the app's address is known.
 */
export async function startLocalProvider(options: LocalProviderOptions): Promise<LocalProvider> {
  const host = options.host ?? '127.0.0.1';
  const port = options.port === 0 ? await freePort(host) : options.port;
  const publicHost =
    host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
  const issuer = `http://${publicHost}:${port}`;
  const clientSecret = randomBytes(24).toString('base64url');
  const storage = new MemoryOAuth2ServerStorage({
    users: Object.entries(DEMO_ACCOUNTS).map(([username, account]) => ({
      sub: account.claims.sub,
      username,
      password: account.password,
      claims: account.claims,
    })),
  });
  const registerClient = (redirectUris: string[]) =>
    storage.addClient({
      clientId: CLIENT_ID,
      clientName: 'nestjs-oauth sample',
      clientSecret, // kept as its hash
      redirectUris,
      defaultScopes: ['openid'],
      allowedScopes: ['openid', 'email', 'profile'],
      allowedGrantTypes: ['authorization_code', 'refresh_token'],
      tokenEndpointAuthMethod: 'client_secret_basic',
    });
  registerClient([`${issuer}/unused-callback`]);

  const module = providerModule(issuer, storage, options.accessTokenTtl ?? 300);
  const logger = options.logger ?? ['log', 'warn', 'error'];
  const app: INestApplication =
    options.platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), { logger })
      : await NestFactory.create(module, { logger });
  await app.listen(port, host);
  return {
    issuer,
    clientId: CLIENT_ID,
    clientSecret,
    setRedirectUris: async (uris) => {
      registerClient(uris);
    },
    close: () => app.close(),
  };
}

/** The provider app: the module, the storage (also used by the login page), the pages. */
function providerModule(
  issuer: string,
  storage: MemoryOAuth2ServerStorage,
  accessTokenTtl: number,
): DynamicModule {
  @Module({})
  class LocalProviderModule {}
  return {
    module: LocalProviderModule,
    imports: [
      OAuth2ServerModule.forRoot({
        issuer,
        storage,
        keys: [generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey],
        tokenExpiresIn: accessTokenTtl,
        refreshTokenExpiresIn: 24 * 3600,
      }),
    ],
    controllers: [ProviderController],
    providers: [{ provide: MemoryOAuth2ServerStorage, useValue: storage }, LoginTickets],
  };
}
