import type { OAuthBearerException } from './oauth-bearer.exception.js';

/** The package and class of each non-HTTP context's exception (optional peers of the app). */
const PACKAGES = {
  ws: ['@nestjs/websockets', 'WsException'],
  rpc: ['@nestjs/microservices', 'RpcException'],
} as const;

const loaded = new Map<string, Promise<(new (error: object) => unknown) | undefined>>();

/** Loads an exception class from the app's copy of its package (it must be that copy: Nest checks `instanceof`). */
function load(type: keyof typeof PACKAGES): Promise<(new (error: object) => unknown) | undefined> {
  let pending = loaded.get(type);
  if (!pending) {
    const [specifier, name] = PACKAGES[type];
    pending = import(specifier).then(
      (module: Record<string, unknown>) => module[name] as new (error: object) => unknown,
      () => undefined,
    );
    loaded.set(type, pending);
  }
  return pending;
}

/**
 * A refusal as the exception of a WebSocket (`WsException`) or microservice
 * (`RpcException`) context, carrying the refusal's body (`{ error,
 * error_description }`), so Nest's exception filter of that context answers
 * it instead of logging an unknown error. The `OAuthBearerException` itself
 * when the package cannot be loaded.
 *
 * @param type - the context's type
 * @param exception - the refusal
 * @internal
 */
export async function contextException(
  type: 'ws' | 'rpc',
  exception: OAuthBearerException,
): Promise<unknown> {
  const Exception = await load(type);
  return Exception ? new Exception({ ...(exception.getResponse() as object) }) : exception;
}
