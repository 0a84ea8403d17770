/**
 * Where a bearer token comes from in each Nest execution context: the HTTP
 * request, a WebSocket's handshake, a microservice message's metadata.
 * Everything is handed to the core as headers, so the same RFC 6750 rules
 * (one `Authorization` header, `b64token` syntax, length cap) hold everywhere.
 */
import type { ExecutionContext } from '@nestjs/common';
import type { IncomingMessage } from 'node:http';
import { BearerTokenError, nodeRequestHeaders, type ServerRequest } from '../../server/index.js';

/** The part of a request the core reads a bearer token from. */
export type BearerRequest = Pick<ServerRequest, 'method' | 'headers' | 'body' | 'contentType'>;

/** A token to verify: a request to read it from, or the token itself. */
export type BearerSource =
  | {
      /** The request (or handshake, or message metadata) whose `Authorization` header carries the token. */
      request: BearerRequest;
    }
  | {
      /** The token itself; `undefined` when none was sent. */
      token: string | undefined;
    };

type Headers = BearerRequest['headers'];

/** Upgrade requests' headers by WebSocket client (`@nestjs/platform-ws` keeps no link from a client to its handshake). */
const handshakes = new WeakMap<object, Headers>();

function isNodeRequest(value: unknown): value is IncomingMessage {
  const v = value as IncomingMessage | null | undefined;
  return Array.isArray(v?.rawHeaders) && v !== null && typeof v.headers === 'object';
}

function headersOf(value: unknown): Headers {
  return value !== null && typeof value === 'object' ? (value as Headers) : {};
}

/**
 * The bearer request of an HTTP request: Express `Request`, `FastifyRequest`
 * or a plain `IncomingMessage`. Headers come from the raw Node request, so a
 * second `Authorization` header (which `req.headers` drops) is seen.
 *
 * @param req - the request `@Req()` gives
 * @internal
 */
export function httpBearerRequest(req: any): BearerRequest {
  const raw = isNodeRequest(req) ? req : isNodeRequest(req?.raw) ? req.raw : undefined;
  return {
    method: typeof req?.method === 'string' ? req.method : 'GET',
    headers: raw ? nodeRequestHeaders(raw) : headersOf(req?.headers),
    body: req?.body,
  };
}

/**
 * Remembers the upgrade request of a WebSocket client, so the guard finds its
 * `Authorization` header on every message.
 *
 * @param client - the WebSocket
 * @param request - its upgrade request
 * @internal
 */
export function rememberHandshake(client: object, request: IncomingMessage): void {
  handshakes.set(client, isNodeRequest(request) ? nodeRequestHeaders(request) : {});
}

/**
 * The token of a WebSocket client: the `Authorization` header of its upgrade
 * request (remembered by `OAuthResourceService.verifyHandshake` on
 * `@nestjs/platform-ws`; socket.io keeps it as `handshake.headers`), or
 * socket.io's `auth: { token }`. Both at once: `invalid_request`.
 *
 * @param client - the WebSocket or socket.io socket
 * @internal
 */
export function wsBearerSource(client: any): BearerSource {
  const headers = handshakes.get(client) ?? headersOf(client?.handshake?.headers);
  const auth: unknown = client?.handshake?.auth?.token;
  if (auth === undefined) return { request: { method: 'GET', headers } };
  if (headers.authorization !== undefined) {
    throw new BearerTokenError(
      'invalid_request',
      'repeated',
      'The access token was sent by more than one method',
    );
  }
  return { token: typeof auth === 'string' ? auth : String(auth) };
}

/**
 * The `authorization` metadata of a microservice message: gRPC `Metadata`,
 * NATS headers, Kafka or RabbitMQ message headers. Other transports carry
 * no metadata: override `OAuthBearerGuard.getBearerSource` for them.
 *
 * @param ctx - `context.switchToRpc().getContext()`
 * @internal
 */
export function rpcBearerSource(ctx: any): BearerSource {
  let value: unknown;
  if (typeof ctx?.get === 'function') {
    value = ctx.get('authorization'); // gRPC Metadata: every value, as a list
  } else if (typeof ctx?.getHeaders === 'function') {
    const headers = ctx.getHeaders(); // NATS MsgHdrs, or an object
    value =
      typeof headers?.get === 'function'
        ? headers.get('authorization') || undefined
        : headers?.authorization;
  } else if (typeof ctx?.getMessage === 'function') {
    const message = ctx.getMessage(); // Kafka, RabbitMQ
    value = message?.headers?.authorization ?? message?.properties?.headers?.authorization;
  }
  const list = (Array.isArray(value) ? value : value === undefined ? [] : [value]).map(String);
  const authorization = list.length === 0 ? undefined : list.length === 1 ? list[0] : list;
  return { request: { method: 'GET', headers: { authorization } } };
}

/**
 * Where the token of a guarded call is, by the context's type.
 *
 * @param context - the execution context
 * @internal
 */
export function bearerSource(context: ExecutionContext): BearerSource {
  const type = context.getType<string>();
  if (type === 'ws') return wsBearerSource(context.switchToWs().getClient());
  if (type === 'rpc') return rpcBearerSource(context.switchToRpc().getContext());
  return { request: httpBearerRequest(context.switchToHttp().getRequest()) };
}
