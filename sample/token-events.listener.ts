import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { OAUTH_TOKEN_UPDATED_EVENT, type OAuthTokenUpdatedEvent } from '../lib/index.js';
import { SessionStore } from './session.store.js';

/**
 * Keeps sessions up to date when an injected client refreshes a token: the
 * event carries the request being served, which tells whose token it is.
 */
@Injectable()
export class TokenEventsListener {
  private readonly logger = new Logger('OAuthTokens');

  constructor(private readonly sessions: SessionStore) {}

  /** Stores the new token (with a rotated refresh token) in the session, and logs it. */
  @OnEvent(OAUTH_TOKEN_UPDATED_EVENT)
  onTokenUpdated(event: OAuthTokenUpdatedEvent): void {
    const session = event.request ? this.sessions.get(event.request as never) : undefined;
    if (session && session.provider === event.name) {
      session.token = event.token;
      session.refreshes += 1;
    }
    const rotated =
      event.token.refresh_token && event.token.refresh_token !== event.refreshToken
        ? ', refresh token rotated'
        : '';
    const expires = event.token.expires_at
      ? new Date(event.token.expires_at * 1000).toISOString()
      : 'unknown';
    // Never the tokens themselves: only what happened.
    this.logger.log(`"${event.name}" token refreshed (expires ${expires}${rotated})`);
  }
}
