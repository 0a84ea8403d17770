import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { OAuthAnyToken } from '../lib/index.js';

/** What the sample reads from a request, on Express and Fastify alike. */
export interface HttpRequest {
  headers: Record<string, unknown>;
  protocol?: string;
}

/** What the sample remembers about a signed-in browser. */
export interface SampleSession {
  /** The client the user signed in with (`local`, `github`, ...). */
  provider: string;
  /** The user's claims (`@OAuthUser()`). */
  user: Record<string, unknown>;
  /** The token; kept server-side only, never rendered. */
  token: OAuthAnyToken;
  /** How many times the token was refreshed (counted by the `oauth.token.updated` listener). */
  refreshes: number;
  /** When the session was created (ms). */
  createdAt: number;
}

const COOKIE = 'sample_session';
const MAX_AGE = 8 * 3600;
const MAX_SESSIONS = 10_000;

/**
 * The sample's sessions: an in-memory map keyed by a random id held in an
 * HttpOnly, SameSite=Lax cookie, written through Nest's HTTP adapter (so on
 * Express and Fastify alike). Simple on purpose; a real app would use its own
 * session store.
 */
@Injectable()
export class SessionStore {
  private readonly sessions = new Map<string, SampleSession>();

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  /** The session of the browser behind `request`, if any. */
  get(request: { headers?: Record<string, unknown> }): SampleSession | undefined {
    const id = readCookie(request?.headers?.cookie, COOKIE);
    const session = id ? this.sessions.get(id) : undefined;
    if (session && Date.now() - session.createdAt > MAX_AGE * 1000) {
      this.sessions.delete(id!);
      return undefined;
    }
    return session;
  }

  /** Starts a new session (a fresh id: no session fixation) and sets its cookie on `response`. */
  start(
    request: HttpRequest,
    response: unknown,
    session: Omit<SampleSession, 'createdAt' | 'refreshes'>,
  ): void {
    if (this.sessions.size >= MAX_SESSIONS) {
      const oldest = this.sessions.keys().next().value;
      if (oldest !== undefined) this.sessions.delete(oldest);
    }
    const id = randomBytes(24).toString('base64url');
    this.sessions.set(id, { ...session, refreshes: 0, createdAt: Date.now() });
    const secure = request.protocol === 'https' ? '; Secure' : '';
    this.setCookie(
      response,
      `${COOKIE}=${id}; Path=/; Max-Age=${MAX_AGE}; HttpOnly; SameSite=Lax${secure}`,
    );
  }

  /** Ends the session of `request` and clears its cookie on `response`. */
  end(request: HttpRequest, response: unknown): void {
    const id = readCookie(request?.headers?.cookie, COOKIE);
    if (id) this.sessions.delete(id);
    this.setCookie(response, `${COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
  }

  private setCookie(response: unknown, value: string): void {
    this.adapterHost.httpAdapter.appendHeader(response, 'Set-Cookie', value);
  }
}

function readCookie(header: unknown, name: string): string | undefined {
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
