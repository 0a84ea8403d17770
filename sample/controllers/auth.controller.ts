import { Controller, Get, Logger, Redirect, Req, Res, UseGuards } from '@nestjs/common';
import { OAuthCallbackGuard, OAuthCallbackResult, OAuthLoginGuard } from '../../lib/index.js';
import { SessionStore, type HttpRequest } from '../session.store.js';

/**
 * Sign-in with any configured provider: the library's guards do the
 * protocol; this controller only starts a session once the callback passed.
 */
@Controller()
export class AuthController {
  private readonly logger = new Logger('Sample');

  constructor(private readonly sessions: SessionStore) {}

  /**
   * Sends the browser to the provider named in the path. The guard saves
   * state, nonce and PKCE verifier and ends the request with a 302: this
   * handler is the route's anchor and never runs.
   */
  @Get('login/:provider')
  @UseGuards(OAuthLoginGuard())
  login(): void {}

  /**
   * The provider sends the browser back here. The guard checked the state,
   * exchanged the code and validated the ID token; start a session and go
   * back where the user was (`returnTo`), else home.
   */
  @Get('callback/:provider')
  @UseGuards(OAuthCallbackGuard())
  @Redirect('/', 303)
  callback(
    @OAuthCallbackResult() result: OAuthCallbackResult,
    @Req() req: HttpRequest,
    @Res({ passthrough: true }) res: unknown,
  ): { url: string } {
    const user = result.userinfo ?? { sub: 'unknown' };
    this.sessions.start(req, res, { provider: result.name, user, token: result.token });
    this.logger.log(`signed in with "${result.name}" as ${String(user.sub)}`);
    return { url: result.returnTo ?? '/' };
  }
}
