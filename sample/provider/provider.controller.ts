import { Body, Controller, Get, Header, HttpCode, Inject, Post } from '@nestjs/common';
import {
  AuthorizeEndpoint,
  IntrospectEndpoint,
  MemoryOAuth2ServerStorage,
  OAuthAuthorization,
  RevokeEndpoint,
  TokenEndpoint,
  type OAuth2AuthorizationDecision,
  type OAuth2AuthorizationRequest,
} from '../../lib/index.js';
import { DEMO_ACCOUNTS } from './demo-accounts.js';
import { LoginTickets } from './login-tickets.js';
import { consentPage, loginPage } from './provider-views.js';

/** What the provider's pages may load and where they may be shown: nothing else, nowhere else. */
const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'";

type Answer = OAuth2AuthorizationDecision | string;

/**
 * The local provider's endpoints: the authorization endpoint with its own
 * login and consent pages, and the token, revocation and introspection
 * endpoints (answered by the module). Discovery, the JWK set and UserInfo
 * are served by `OAuth2ServerModule` itself.
 *
 * There is no sign-in session: every authorization asks for the password,
 * then for consent. So `prompt=login` and `prompt=consent` are honoured as a
 * matter of course, and `prompt=none` (which forbids any page) is answered
 * with `login_required`.
 */
@Controller()
export class ProviderController {
  constructor(
    @Inject(MemoryOAuth2ServerStorage) private readonly storage: MemoryOAuth2ServerStorage,
    @Inject(LoginTickets) private readonly tickets: LoginTickets,
  ) {}

  /** The authorization request, validated by the module: the login page. */
  @Get('authorize')
  @AuthorizeEndpoint()
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('content-security-policy', PAGE_CSP)
  start(@OAuthAuthorization() authorization: OAuth2AuthorizationRequest): Answer {
    if (authorization.prompt.includes('none')) return { allow: false, error: 'login_required' };
    return loginPage(
      clientName(authorization),
      authorization.loginHint ?? '',
      false,
      DEMO_ACCOUNTS,
    );
  }

  /**
   * The pages' forms: `step=login` checks the password and shows the consent
   * page; `step=allow` (with the login's ticket) and `step=deny` decide.
   */
  @Post('authorize')
  @AuthorizeEndpoint()
  @HttpCode(200)
  @Header('content-type', 'text/html; charset=utf-8')
  @Header('cache-control', 'no-store')
  @Header('content-security-policy', PAGE_CSP)
  async step(
    @OAuthAuthorization() authorization: OAuth2AuthorizationRequest,
    @Body() form: Record<string, unknown>,
  ): Promise<Answer> {
    const request = `${authorization.client.clientId} ${new URLSearchParams(authorization.parameters)}`;
    if (form.step === 'login') {
      const login = typeof form.login === 'string' ? form.login.trim().toLowerCase() : '';
      const user = await this.storage.getUser?.(
        login,
        form.password as string,
        authorization.client,
      );
      if (!user) return loginPage(clientName(authorization), login, true, DEMO_ACCOUNTS);
      const authTime = Math.floor(Date.now() / 1000);
      const ticket = this.tickets.issue({ sub: user.sub, authTime, request });
      return consentPage(clientName(authorization), user.sub, authorization.scope, ticket);
    }
    if (form.step === 'allow') {
      const login = this.tickets.take(form.ticket, request);
      if (!login) return { allow: false, error: 'login_required' };
      return { allow: true, user: { sub: login.sub }, authTime: login.authTime, amr: ['pwd'] };
    }
    return false; // Deny or Cancel: access_denied
  }

  @Post('token')
  @TokenEndpoint()
  token(): void {}

  @Post('revoke')
  @RevokeEndpoint()
  revoke(): void {}

  @Post('introspect')
  @IntrospectEndpoint()
  introspect(): void {}
}

function clientName(authorization: OAuth2AuthorizationRequest): string {
  return authorization.client.clientName ?? authorization.client.clientId;
}
