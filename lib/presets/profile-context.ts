/**
 * The context an injected client hands to a `profile` mapping: further calls
 * go through the client's own transport (fetch, timeout, size limit, hooks)
 * and their bodies are read with the core's bounded readers.
 */
import { InvalidResponseError } from '../core/errors.js';
import {
  DEFAULT_TIMEOUT,
  readResponseText,
  sendRequest,
  type HttpOptions,
} from '../core/http/fetcher.js';
import { describeEndpoint, redact } from '../core/util/redact.js';
import type {
  OAuthAnyToken,
  OAuthProfileMapper,
} from '../interfaces/oauth-client-options.interface.js';
import type { OAuthProfileContext, OAuthProfileRequestInit } from './preset.interface.js';

/** Sends one request for a mapping: with the user's credentials or without. */
export type ProfileSender = (
  method: string,
  url: string,
  init: RequestInit,
  withToken: boolean,
) => Promise<Response>;

/** What {@link createProfileContext} needs from the client. */
export interface ProfileContextSettings {
  /** The client's name. */
  name: string;
  /** The client identifier. */
  clientId: string;
  /** Sends a request with the client's transport. */
  send: ProfileSender;
  /** The timeout for reading a body (ms); default 30 s. */
  timeout?: number;
  /** Values (the user's tokens) never to show in an error, not even in an endpoint path. */
  secrets: (string | undefined)[];
  /** The authorization response of the login being completed, if any. */
  authorizationResponse?: URLSearchParams;
}

/**
 * Builds the {@link OAuthProfileContext} of one profile mapping.
 *
 * @param settings - the client's sender, timeout and the values to redact
 * @returns the context
 */
export function createProfileContext(settings: ProfileContextSettings): OAuthProfileContext {
  const timeout = settings.timeout ?? DEFAULT_TIMEOUT;
  return {
    name: settings.name,
    clientId: settings.clientId,
    authorizationResponse: settings.authorizationResponse,
    async request(url: string, init: OAuthProfileRequestInit = {}): Promise<unknown> {
      const target = new URL(url);
      for (const [key, value] of Object.entries(init.query ?? {})) {
        if (value !== undefined) target.searchParams.set(key, value);
      }
      const headers: Record<string, string> = { accept: 'application/json', ...init.headers };
      let body: string | undefined;
      if (init.form) {
        const form = new URLSearchParams();
        for (const [key, value] of Object.entries(init.form)) {
          if (value !== undefined) form.set(key, value);
        }
        body = form.toString();
        headers['content-type'] = 'application/x-www-form-urlencoded';
      } else if (init.json !== undefined) {
        body = JSON.stringify(init.json);
        headers['content-type'] = 'application/json';
      }
      const method = (init.method ?? 'GET').toUpperCase();
      // Some APIs carry the token in the path (HubSpot): never name it in an error.
      const endpoint = redact(describeEndpoint(target), settings.secrets);
      const response = await settings.send(
        method,
        target.toString(),
        { headers, body },
        init.withToken !== false,
      );
      const text = await readResponseText(response, {
        endpoint,
        timeout,
        secrets: settings.secrets,
      });
      if (!response.ok) {
        throw new InvalidResponseError(endpoint, `HTTP ${response.status}`, {
          status: response.status,
        });
      }
      try {
        return JSON.parse(text) as unknown;
      } catch {
        throw new InvalidResponseError(endpoint, 'the body is not JSON', {
          status: response.status,
        });
      }
    },
  };
}

/** The mappings of the presets: their result gets `raw` (a mapping of your own returns what it returns). */
const presetMappers = new WeakSet<object>();

/**
 * Marks a preset's mapping, so the injected client adds `raw` to its result.
 * @param mapper - the mapping `definePreset` built
 */
export function markPresetMapper<T extends object>(mapper: T): T {
  presetMappers.add(mapper);
  return mapper;
}

/**
 * Runs a client's `profile` mapping on `raw` (or `{}` when the client has no
 * profile source), with a context for further calls. A preset's result gets
 * `raw` (unless the mapping set its own); the result of a mapping of your own
 * is returned as it is.
 *
 * @param mapper - the client's `profile` option
 * @param raw - the provider's JSON, if the client read one
 * @param token - the user's token
 * @param settings - the client's sender, timeout and values to redact
 * @returns the mapped claims with `raw`
 */
export async function runProfileMapper(
  mapper: OAuthProfileMapper,
  raw: Record<string, unknown> | undefined,
  token: OAuthAnyToken,
  settings: ProfileContextSettings,
): Promise<Record<string, unknown>> {
  const source = raw ?? {};
  const mapped = await mapper(source, token, createProfileContext(settings));
  return presetMappers.has(mapper) ? { ...mapped, raw: mapped.raw ?? source } : mapped;
}

/**
 * A context for a mapping called on its own (outside an injected client, as
 * in a unit test): bearer requests with the given transport.
 *
 * @param accessToken - the bearer token, if any
 * @param http - `fetch` and timeout (default: the platform's, 30 s)
 */
export function standaloneProfileContext(
  accessToken: string | undefined,
  http: HttpOptions = {},
): OAuthProfileContext {
  return createProfileContext({
    name: 'standalone',
    clientId: '',
    timeout: http.timeout,
    secrets: [accessToken],
    send: (method, url, init, withToken) => {
      const headers = new Headers(init.headers);
      if (withToken && accessToken) headers.set('authorization', `Bearer ${accessToken}`);
      return sendRequest(url, { ...init, method, headers }, http);
    },
  });
}
