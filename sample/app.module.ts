import { randomBytes } from 'node:crypto';
import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { OAuthModule } from '../lib/index.js';
import { AuthController } from './controllers/auth.controller.js';
import { HomeController } from './controllers/home.controller.js';
import { HtmlExceptionFilter } from './html-exception.filter.js';
import { buildClients } from './oauth-clients.js';
import { SessionModule } from './session.module.js';
import { SessionStore } from './session.store.js';
import { TokenEventsListener } from './token-events.listener.js';

/**
 * The sample application. Everything it needs to know comes from the
 * environment (or `.env`) through `ConfigService`: `LOCAL_ISSUER`,
 * `LOCAL_CLIENT_ID` and `LOCAL_CLIENT_SECRET` for the local provider (set by
 * `startSample()`), `GITHUB_CLIENT_ID` & co. for real providers, `OAUTH_SECRET`.
 */
@Module({
  imports: [
    ConfigModule.forRoot({
      isGlobal: true,
      // Tests read the environment only, never a developer's .env.
      ignoreEnvFile: process.env.NODE_ENV === 'test',
      // Protects the library's state cookie. Set OAUTH_SECRET (`openssl rand -base64 32`) to keep
      // logins in progress across restarts; the environment wins over this default.
      load: [() => ({ OAUTH_SECRET: randomBytes(32).toString('base64url') })],
    }),
    EventEmitterModule.forRoot(),
    SessionModule,
    OAuthModule.forRootAsync({
      // `local` is injected with @OAuthClient('local'); the factory may add more clients
      // (the ones whose keys are configured), reachable through OAuthService and the guards.
      clients: ['local'],
      imports: [SessionModule],
      inject: [ConfigService, SessionStore],
      useFactory: (config: ConfigService, sessions: SessionStore) => ({
        clients: buildClients(config),
        // How an injected client finds the token of the user behind a request.
        fetchToken: (name: string, request: unknown) => {
          const session = sessions.get(request as never);
          return session?.provider === name ? session.token : undefined;
        },
      }),
    }),
  ],
  controllers: [HomeController, AuthController],
  providers: [TokenEventsListener, { provide: APP_FILTER, useClass: HtmlExceptionFilter }],
})
export class AppModule {}
