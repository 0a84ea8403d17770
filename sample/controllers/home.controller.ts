import { Controller, Get, Header, Logger, Post, Query, Redirect, Req, Res } from '@nestjs/common';
import { OAuthClient, OAuthService, type OAuth2App, type OAuth2Token } from '../../lib/index.js';
import { SessionStore, type HttpRequest } from '../session.store.js';
import { loginPage, profilePage, type ApiResult } from '../views.js';

const NOTICES: Record<string, string> = {
  refreshed: 'The access token was refreshed.',
  'no-refresh': 'This provider gave no refresh token.',
  'refresh-failed': 'The refresh failed; sign in again.',
  'logged-out': 'You are signed out.',
};

/** The start page, the signed-in page with an API call, a forced refresh and log out. */
@Controller()
export class HomeController {
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

  /** Forces a refresh: the token is treated as expired, so the client refreshes it. */
  @Post('refresh')
  @Redirect('/', 303)
  async refresh(@Req() req: HttpRequest): Promise<{ url: string }> {
    const session = this.sessions.get(req);
    if (!session) return { url: '/' };
    const token = session.token as OAuth2Token;
    if (!token.refresh_token || !this.oauth.has(session.provider))
      return { url: '/?notice=no-refresh' };
    try {
      // The `oauth.token.updated` listener stores the new token in the session.
      await this.oauth.oauth2(session.provider).ensureActiveToken({ ...token, expires_at: 0 });
      return { url: '/?notice=refreshed' };
    } catch (err) {
      this.logger.warn(`refresh for "${session.provider}" failed: ${(err as Error).name}`);
      return { url: '/?notice=refresh-failed' };
    }
  }

  /** Signs out: revokes the refresh token at the local provider (best effort) and ends the session. */
  @Post('logout')
  @Redirect('/?notice=logged-out', 303)
  async logout(@Req() req: HttpRequest, @Res({ passthrough: true }) res: unknown): Promise<void> {
    const session = this.sessions.get(req);
    const refreshToken = (session?.token as OAuth2Token | undefined)?.refresh_token;
    if (session?.provider === 'local' && refreshToken) {
      await this.local.client
        .revokeToken(undefined, { token: refreshToken, tokenTypeHint: 'refresh_token' })
        .catch((err: Error) => this.logger.warn(`revocation failed: ${err.name}`));
    }
    this.sessions.end(req, res);
  }
}
