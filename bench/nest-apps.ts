/**
 * The Nest apps of benchmarks 3 and 6: the same small app (a login route and
 * a callback route answering `{ sub }`) built twice, with nestjs-oauth's
 * guards and with `@nestjs/passport` + `passport-oauth2`, on Express or
 * Fastify, against the stub provider.
 *
 * The passport app keeps the usual passport-oauth2 setup (`state: true`,
 * `pkce: true`) and, since there is no session middleware here, a state store
 * given through passport-oauth2's documented `store` option: the state and
 * PKCE verifier stay in a server-side Map, bound to the browser by a cookie
 * holding the state handle (what express-session's MemoryStore would do,
 * minus the session machinery). That is less work than our encrypted state
 * cookie, which keeps the comparison conservative.
 */
import {
  Controller,
  Get,
  Injectable,
  Module,
  Req,
  UseGuards,
  type DynamicModule,
  type INestApplication,
  type LoggerService,
  type LogLevel,
} from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AuthGuard, PassportModule, PassportStrategy } from '@nestjs/passport';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Strategy as OAuth2Strategy } from 'passport-oauth2';
import {
  OAuthCallbackGuard,
  OAuthLoginGuard,
  OAuthModule,
  OAuthUser,
  type OAuthClientOptions,
  type OAuthModuleOptions,
} from '../lib/index.js';
import type { StubProvider } from './stub-provider.js';

/** The HTTP platforms. */
export type Platform = 'express' | 'fastify';

/** How the app learns who logged in. */
export type LoginMode =
  /** OpenID Connect: we validate the ID token; passport fetches the profile from the userinfo endpoint. */
  | 'oidc'
  /** Plain OAuth 2: both exchange the code, then fetch the profile from the userinfo endpoint. */
  | 'oauth2';

/** What the apps need to know about a provider (the stub provider, or oidc-provider for benchmark 7). */
export type ProviderInfo = Pick<
  StubProvider,
  'clientId' | 'clientSecret' | 'discoveryUrl' | 'authorizeUrl' | 'tokenUrl' | 'userinfoUrl'
>;

/** A running app. */
export interface RunningApp {
  url: string;
  app: INestApplication;
  close(): Promise<void>;
}

const CLIENT_NAME = 'op';
/** The callback route of the apps (the login route is `/auth/login`). */
export const CALLBACK_PATH = '/auth/callback';
const OIDC_SCOPE = 'openid email profile';
const OAUTH2_SCOPE = 'email profile';

// ---------------------------------------------------------------------------
// nestjs-oauth

@Controller('auth')
class OursAuthController {
  @Get('login')
  @UseGuards(OAuthLoginGuard(CLIENT_NAME))
  login(): void {
    // The guard answers with the redirect.
  }

  @Get('callback')
  @UseGuards(OAuthCallbackGuard(CLIENT_NAME))
  callback(@OAuthUser() user: Record<string, unknown> | undefined): { sub: unknown } {
    return { sub: user?.sub ?? null };
  }
}

@Module({})
class OursAppModule {}

/**
 * The app built with nestjs-oauth.
 * @param provider - the provider to log in at
 * @param mode - OpenID Connect (ID token) or plain OAuth 2 (userinfo endpoint)
 * @param extra - more client options (e.g. a `fetch`, or `clientKwargs` with another scope)
 * @param moduleExtra - more module options (e.g. `requestContext`, `cache`), for the profiling tools
 */
export function oursAppModule(
  provider: ProviderInfo,
  mode: LoginMode,
  extra: Partial<OAuthClientOptions> = {},
  moduleExtra: Partial<OAuthModuleOptions> = {},
): DynamicModule {
  const client: OAuthClientOptions =
    mode === 'oidc'
      ? {
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
          serverMetadataUrl: provider.discoveryUrl,
          redirectUri: CALLBACK_PATH,
          clientKwargs: { scope: OIDC_SCOPE, ...extra.clientKwargs },
        }
      : {
          clientId: provider.clientId,
          clientSecret: provider.clientSecret,
          authorizeUrl: provider.authorizeUrl,
          accessTokenUrl: provider.tokenUrl,
          userinfoEndpoint: provider.userinfoUrl,
          redirectUri: CALLBACK_PATH,
          clientKwargs: { scope: OAUTH2_SCOPE, ...extra.clientKwargs },
        };
  return {
    module: OursAppModule,
    imports: [
      OAuthModule.forRoot({
        secret: `bench-state-secret-${randomBytes(24).toString('base64url')}`,
        clients: { [CLIENT_NAME]: { ...extra, ...client } },
        ...moduleExtra,
      }),
    ],
    controllers: [OursAuthController],
  };
}

// ---------------------------------------------------------------------------
// @nestjs/passport + passport-oauth2

const STRATEGY = 'bench-op';
const STATE_COOKIE = 'pp_state';

interface PassportSettings {
  provider: ProviderInfo;
  mode: LoginMode;
}

type Callback = (err: unknown, ok?: unknown, state?: unknown) => void;

/**
 * A passport-oauth2 state store (its `store` option): state and PKCE verifier
 * server-side, keyed by a random handle that is also set as a cookie.
 */
export class CookieBoundStateStore {
  private readonly pending = new Map<string, { verifier: string; state: unknown }>();

  /** Number of logins started and not finished. */
  get size(): number {
    return this.pending.size;
  }

  store(req: any, verifier: string, state: unknown, _meta: unknown, callback: Callback): void {
    const handle = randomBytes(24).toString('base64url');
    this.pending.set(handle, { verifier, state });
    // Express gives the response as req.res; Fastify has no such link (the
    // redirect fails there anyway, see benchmark 3).
    req.res?.setHeader?.(
      'Set-Cookie',
      `${STATE_COOKIE}=${handle}; Path=${CALLBACK_PATH}; HttpOnly; SameSite=Lax; Max-Age=600`,
    );
    callback(null, handle);
  }

  verify(req: any, providedState: string, callback: Callback): void {
    const cookie = /(?:^|;\s*)pp_state=([^;]+)/.exec(req.headers?.cookie ?? '')?.[1];
    const entry = this.pending.get(providedState);
    if (!entry || cookie !== providedState) {
      callback(null, false, { message: 'Unable to verify authorization request state.' });
      return;
    }
    this.pending.delete(providedState);
    callback(null, entry.verifier, entry.state);
  }
}

let passportApps = 0;

/**
 * The same app built with `@nestjs/passport` and `passport-oauth2`. Each call
 * registers its strategy under a new name: passport's strategy registry is
 * global, and several of these apps run side by side.
 *
 * @param provider - the provider to log in at
 * @param mode - which scope to ask for (passport fetches the profile either way)
 */
export function passportAppModule(provider: ProviderInfo, mode: LoginMode): DynamicModule {
  const strategyName = `${STRATEGY}-${++passportApps}`;
  const settings: PassportSettings = { provider, mode };

  @Injectable()
  class BenchOAuth2Strategy extends PassportStrategy(OAuth2Strategy, strategyName) {
    private readonly userinfoUrl: string;

    constructor() {
      super({
        authorizationURL: provider.authorizeUrl,
        tokenURL: provider.tokenUrl,
        clientID: provider.clientId,
        clientSecret: provider.clientSecret,
        callbackURL: CALLBACK_PATH,
        scope: settings.mode === 'oidc' ? OIDC_SCOPE : OAUTH2_SCOPE,
        state: true,
        pkce: true,
        store: new CookieBoundStateStore() as any,
      });
      this.userinfoUrl = provider.userinfoUrl;
      this._oauth2.useAuthorizationHeaderforGET(true);
    }

    /** The profile from the userinfo endpoint (what passport-oauth2 provider strategies do). */
    override userProfile(accessToken: string, done: (err?: unknown, profile?: any) => void): void {
      this._oauth2.get(this.userinfoUrl, accessToken, (err, body) => {
        if (err) return done(err);
        try {
          done(null, JSON.parse(String(body)));
        } catch (parseError) {
          done(parseError);
        }
      });
    }

    validate(_accessToken: string, _refreshToken: string, profile: Record<string, unknown>) {
      return profile;
    }
  }

  @Controller('auth')
  class PassportAuthController {
    @Get('login')
    @UseGuards(AuthGuard(strategyName))
    login(): void {
      // passport answers with the redirect.
    }

    @Get('callback')
    @UseGuards(AuthGuard(strategyName))
    callback(@Req() req: { user?: Record<string, unknown> }): { sub: unknown } {
      return { sub: req.user?.sub ?? null };
    }
  }

  @Module({})
  class PassportAppModule {}

  return {
    module: PassportAppModule,
    imports: [PassportModule.register({ session: false })],
    controllers: [PassportAuthController],
    providers: [BenchOAuth2Strategy],
  };
}

// ---------------------------------------------------------------------------

/** A logger that keeps error lines instead of printing them. */
export class ErrorCollector implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  debug(): void {}
  verbose(): void {}
  error(message: unknown, ...rest: unknown[]): void {
    const text = message instanceof Error ? `${message.name}: ${message.message}` : String(message);
    this.errors.push([text, ...rest.map(String)].join(' ').slice(0, 500));
  }
}

/**
 * Starts an app on 127.0.0.1 (random port), quietly.
 * @param module - the app module
 * @param platform - Express or Fastify
 * @param logger - receives the app's log (default: errors printed, the rest dropped)
 */
export async function startNestApp(
  module: DynamicModule,
  platform: Platform,
  logger: LoggerService | LogLevel[] = ['error'],
): Promise<RunningApp> {
  const options = { logger, abortOnError: false };
  const app =
    platform === 'fastify'
      ? await NestFactory.create(module, new FastifyAdapter(), options)
      : await NestFactory.create(module, options);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, app, close: () => app.close() };
}
