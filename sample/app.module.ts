import { randomBytes } from 'node:crypto';
import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { EventEmitterModule } from '@nestjs/event-emitter';
import { OAuthModule } from '../lib/index.js';
import { AppController } from './app.controller.js';
import { buildClients } from './oauth-clients.js';
import { SessionStore } from './session.store.js';
import { TokenEventsListener } from './token-events.listener.js';

/** Holds the sample's session store, so `OAuthModule`'s factory can inject it. */
@Module({ providers: [SessionStore], exports: [SessionStore] })
export class SessionModule {}

/** What the app needs to know about the local provider it runs beside. */
export interface AppSettings {
  /** The local provider's issuer (`LOCAL_ISSUER`). */
  localIssuer: string;
  /** The sample client registered there (`LOCAL_CLIENT_ID` / `LOCAL_CLIENT_SECRET`). */
  localClientId: string;
  localClientSecret: string;
  /** A `.env` file to read (default `.env`), or `false` for the environment only. */
  envFile?: string | false;
}

/** The sample application. */
@Module({})
export class AppModule {
  /** Builds the module for a running local provider. */
  static forRoot(settings: AppSettings): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: settings.envFile === false,
          envFilePath: settings.envFile || '.env',
          load: [
            () => ({
              // Protects the library's state cookie. Set OAUTH_SECRET (environment or .env) to
              // keep logins in progress across restarts; the environment wins over this default.
              OAUTH_SECRET: randomBytes(32).toString('base64url'),
              LOCAL_ISSUER: settings.localIssuer,
              LOCAL_CLIENT_ID: settings.localClientId,
              LOCAL_CLIENT_SECRET: settings.localClientSecret,
            }),
          ],
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
      controllers: [AppController],
      providers: [TokenEventsListener],
    };
  }
}
