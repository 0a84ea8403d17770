import { BadRequestException, type ExecutionContext } from '@nestjs/common';
import type { HttpAdapterHost } from '@nestjs/core';
import { requestTarget } from './framework-request.js';
import { listCookieNames, readCookie, serializeCookie } from '../state/cookies.js';
import type { StateCookieIO, StateCookieOptions } from '../state/state-store.interface.js';

const HOST =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/**
 * Whether a `Host` header value is a host name or IP literal with an optional
 * port that makes a valid origin (`URL` refuses what the pattern lets through:
 * port 99999, 999.999.999.999, [:::::]).
 *
 * @param host - the header value
 * @internal
 */
export function isValidHost(host: unknown): host is string {
  return typeof host === 'string' && HOST.test(host) && URL.canParse(`http://${host}`);
}

/**
 * One HTTP exchange seen through Nest's HTTP adapter, so the guards behave the
 * same on Express and Fastify: raw URL and query, cookies from the raw
 * `cookie` header, `Set-Cookie` via `appendHeader`, redirects via the adapter.
 *
 * @internal
 */
export class HttpExchange implements StateCookieIO {
  readonly request: any;
  readonly response: any;

  constructor(
    context: ExecutionContext,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    const http = context.switchToHttp();
    this.request = http.getRequest();
    this.response = http.getResponse();
  }

  private get adapter(): any {
    return this.adapterHost.httpAdapter;
  }

  /** The request's path and query as received (`/callback?code=...`). */
  get rawUrl(): string {
    const url = requestTarget(this.request);
    return typeof url === 'string' ? url : '/';
  }

  /** The query string, parsed without any framework (so `a[b]=c` stays a plain key). */
  query(): URLSearchParams {
    const url = this.rawUrl;
    const q = url.indexOf('?');
    if (q < 0) return new URLSearchParams();
    const hash = url.indexOf('#', q);
    return new URLSearchParams(url.slice(q + 1, hash < 0 ? undefined : hash));
  }

  /**
   * The authorization response's parameters: the query string, or for a
   * `response_mode=form_post` callback (a POST) the form body the framework parsed.
   * @see https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html
   */
  callbackParams(): URLSearchParams {
    const body: unknown = this.request?.body;
    if (this.request?.method !== 'POST' || !body || typeof body !== 'object') return this.query();
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      if (typeof value === 'string') params.append(key, value);
      else if (Array.isArray(value)) {
        for (const item of value) if (typeof item === 'string') params.append(key, item);
      }
    }
    return params;
  }

  /** The callback URL as the client library reads it: path plus the response's parameters. */
  callbackUrl(params: URLSearchParams): string {
    const url = this.rawUrl;
    const q = url.indexOf('?');
    return `${q < 0 ? url : url.slice(0, q)}?${params.toString()}`;
  }

  /** A route parameter (`:provider`), if any. */
  param(name: string): string | undefined {
    const value = this.request?.params?.[name];
    return typeof value === 'string' ? value : undefined;
  }

  /** `https` when the framework says so (Express `trust proxy`, Fastify `trustProxy`) or the socket is TLS. */
  get protocol(): 'http' | 'https' {
    const proto = this.request?.protocol;
    if (proto === 'https' || proto === 'http') return proto;
    const socket = this.request?.socket ?? this.request?.raw?.socket;
    return socket?.encrypted ? 'https' : 'http';
  }

  /**
   * The request's origin from the protocol and the `Host` header.
   * @throws {BadRequestException} when the `Host` header is missing or malformed
   */
  origin(): string {
    const host = this.request?.headers?.host;
    if (!isValidHost(host)) throw new BadRequestException('Invalid Host header');
    return `${this.protocol}://${host}`;
  }

  /** Reads a cookie from the raw `cookie` header. */
  getCookie(name: string): string | undefined {
    return readCookie(this.request?.headers?.cookie, name);
  }

  /** The names of every cookie on the request. */
  cookieNames(): string[] {
    return listCookieNames(this.request?.headers?.cookie);
  }

  /** Appends a `Set-Cookie` header (HttpOnly; SameSite=Lax unless the options say `None`). */
  setCookie(name: string, value: string, options: StateCookieOptions & { maxAge: number }): void {
    const header = serializeCookie(name, value, {
      ...options,
      httpOnly: true,
      sameSite: options.sameSite ?? 'Lax',
    });
    if (typeof this.adapter.appendHeader === 'function') {
      this.adapter.appendHeader(this.response, 'Set-Cookie', header);
    } else {
      this.adapter.setHeader(this.response, 'Set-Cookie', header);
    }
  }

  /**
   * Puts a redirect to `url` on the response without sending it: `Location`
   * and `Cache-Control: no-store`. Whatever answers the request with status
   * 302 (an exception filter answering `OAuthRedirectException`) sends it.
   */
  prepareRedirect(url: string): void {
    this.adapter.setHeader(this.response, 'Cache-Control', 'no-store');
    this.adapter.setHeader(this.response, 'Location', url);
  }
}
