import { Inject } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { OAuth2ServerRegistry } from './oauth2-server.registry.js';

/**
 * What the endpoint decorators' guard and interceptors share: the
 * authorization server and Nest's HTTP adapter, by property injection (they
 * are built by Nest in the module of the controller that uses them).
 *
 * @internal
 */
export abstract class OAuth2EndpointBase {
  /** The authorization server (injected by Nest). */
  @Inject(OAuth2ServerRegistry) protected readonly registry!: OAuth2ServerRegistry;
  /** Nest's HTTP adapter host (injected by Nest). */
  @Inject(HttpAdapterHost) protected readonly adapterHost!: HttpAdapterHost;
}
