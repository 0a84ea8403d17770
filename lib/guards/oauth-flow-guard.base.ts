import {
  Inject,
  Injectable,
  type CanActivate,
  type ExecutionContext,
  type OnModuleInit,
} from '@nestjs/common';
import { OAuthFlowService } from '../flow/oauth-flow.service.js';

/**
 * What the login and the callback guard share: the flow service, the client
 * the guard was made for, the start-up check of that name, and the hooks
 * {@link OAuthFlowGuardBase.getClientName} and
 * {@link OAuthFlowGuardBase.handleError}. Extend `OAuthLoginGuardBase` or
 * `OAuthCallbackGuardBase`, not this class.
 */
@Injectable()
export abstract class OAuthFlowGuardBase implements CanActivate, OnModuleInit {
  /**
   * The login and callback steps (injected by Nest, so subclasses call `super()` with nothing).
   * @internal
   */
  @Inject(OAuthFlowService) protected readonly flow!: OAuthFlowService;
  /** The client name given to the guard factory; `undefined`: the `:provider` route parameter. */
  protected readonly clientName?: string;
  /** Which step the guard runs: named in start-up errors and in the errors it maps. */
  protected abstract readonly step: 'login' | 'callback';

  /**
   * Fails at start-up when the guard names a client that is not registered.
   *
   * @throws {OAuthConfigError} naming the guard's client and the registered ones
   */
  onModuleInit(): void {
    this.flow.assertRegistered(
      this.clientName,
      this.step === 'login' ? 'OAuthLoginGuard' : 'OAuthCallbackGuard',
    );
  }

  /**
   * Runs the guard's step for the request.
   *
   * @param context - the request
   */
  abstract canActivate(context: ExecutionContext): Promise<boolean>;

  /**
   * Which client this request is for. Default: the name given to the guard
   * factory (`OAuthLoginGuard(name)`, `OAuthCallbackGuard(name)`), else the
   * `:provider` route parameter.
   *
   * @param context - the request
   * @returns the client's name (an unknown one gives 404)
   */
  protected getClientName(
    context: ExecutionContext,
  ): string | undefined | Promise<string | undefined> {
    return this.flow.clientName(context, this.clientName);
  }

  /**
   * What a failure becomes. Default: the `OAuthException` of
   * `toHttpException`, logged at warn with the client name and error code
   * only: at login 502 provider down, 504 timeout; at the callback also 400
   * bad or replayed state and provider errors, 401 bad ID token. Override to
   * answer otherwise (throw your own exception, a redirect to your login
   * page), or return `true` to let the handler run.
   *
   * @param error - what failed
   * @param context - the request
   * @param name - the client's name
   * @returns whether the handler runs
   */
  protected handleError(
    error: unknown,
    context: ExecutionContext,
    name: string,
  ): boolean | Promise<boolean> {
    void context;
    throw this.flow.toException(name, this.step, error);
  }
}
