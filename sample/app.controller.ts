import {
  Controller,
  Get,
  Header,
  HttpCode,
  Logger,
  Param,
  Post,
  Query,
  Req,
  Res,
  UseGuards,
} from '@nestjs/common';
import {
  OAuthCallbackGuard,
  OAuthClient,
  OAuthLoginGuard,
  OAuthReturnTo,
  OAuthService,
  OAuthToken,
  OAuthUser,
  type OAuth2App,
  type OAuth2Token,
  type OAuthAnyToken,
} from '../lib/index.js';
import { SessionStore } from './session.store.js';
import { loginPage, profilePage, type ApiResult } from './views.js';

/** What the sample needs from the framework's request and response (Express here). */
interface HttpRequest {
  headers: Record<string, unknown>;
  protocol?: string;
}
interface HttpResponse {
  setHeader(name: string, value: string): void;
  redirect(status: number, url: string): void;
}

const NOTICES: Record<string, string> = {
  refreshed: 'The access token was refreshed.',
  'no-refresh': 'This provider gave no refresh token.',
  'refresh-failed': 'The refresh failed; sign in again.',
  'logged-out': 'You are signed out.',
};

/**
 * The sample's routes: the start page, login and callback through the
 * library's guards, a forced refresh and log out.
 */
@Controller()
export class AppController {
  private readonly logger = new Logger('Sample');

  constructor(
    private readonly sessions: SessionStore,
    private readonly oauth: OAuthService,
    @OAuthClient('local') private readonly local: OAuth2App,
  ) {}

  /** The start page, or the signed-in page with an API call made with the injected client. */
  @Get()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  async home(@Req() req: HttpRequest, @Query('notice') notice?: string): Promise<string> {
    const text =
      typeof notice === 'string' && Object.hasOwn(NOTICES, notice) ? NOTICES[notice] : undefined;
    const session = this.sessions.get(req);
    if (!session) return loginPage(this.oauth.names(), text);
    let api: ApiResult;
    if (session.provider === 'local') {
      try {
        // No token passed: the client asks `fetchToken` for the current request's token.
        api = { ok: true, data: await this.local.userinfo() };
      } catch (err) {
        api = { ok: false, message: `The API call failed (${(err as Error).name}).` };
      }
    }
    return profilePage(session, api, text);
  }

  /** No icon: answer quickly instead of rendering a 404 page for every page load. */
  @Get('favicon.ico')
  @HttpCode(204)
  favicon(): void {}

  /** Redirects to the provider named in the path (state, nonce and PKCE saved by the guard). */
  @Get('login/:provider')
  @UseGuards(OAuthLoginGuard())
  login(): void {
    // Not reached: the guard answered with a redirect.
  }

  /**
   * The provider sends the browser back here. The guard checked the state,
   * exchanged the code and validated the ID token; start a session.
   */
  @Get('callback/:provider')
  @UseGuards(OAuthCallbackGuard())
  callback(
    @Param('provider') provider: string,
    @OAuthToken() token: OAuthAnyToken,
    @OAuthUser() user: Record<string, unknown> | undefined,
    @OAuthReturnTo() returnTo: string | undefined,
    @Req() req: HttpRequest,
    @Res() res: HttpResponse,
  ): void {
    const claims = user ?? { sub: 'unknown' };
    const cookie = this.sessions.create(
      { provider, user: claims, token },
      req.protocol === 'https',
    );
    this.logger.log(`signed in with "${provider}" as ${String(claims.sub)}`);
    res.setHeader('set-cookie', cookie);
    res.redirect(303, returnTo ?? '/');
  }

  /** Forces a refresh: the token is treated as expired, so the client refreshes it. */
  @Post('refresh')
  async refresh(@Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    const session = this.sessions.get(req);
    if (!session) return res.redirect(303, '/');
    const token = session.token as OAuth2Token;
    if (!token.refresh_token || !this.oauth.has(session.provider)) {
      return res.redirect(303, '/?notice=no-refresh');
    }
    try {
      const app = this.oauth.oauth2(session.provider);
      // The `oauth.token.updated` listener stores the new token in the session.
      await app.ensureActiveToken({ ...token, expires_at: 0 });
      res.redirect(303, '/?notice=refreshed');
    } catch (err) {
      this.logger.warn(`refresh for "${session.provider}" failed: ${(err as Error).name}`);
      res.redirect(303, '/?notice=refresh-failed');
    }
  }

  /** Signs out: revokes the refresh token at the local provider (best effort) and ends the session. */
  @Post('logout')
  async logout(@Req() req: HttpRequest, @Res() res: HttpResponse): Promise<void> {
    const session = this.sessions.get(req);
    const refreshToken = (session?.token as OAuth2Token | undefined)?.refresh_token;
    if (session?.provider === 'local' && refreshToken) {
      await this.local.client
        .revokeToken(undefined, { token: refreshToken, tokenTypeHint: 'refresh_token' })
        .catch((err: Error) => this.logger.warn(`revocation failed: ${err.name}`));
    }
    res.setHeader('set-cookie', this.sessions.destroy(req));
    res.redirect(303, '/?notice=logged-out');
  }
}
