import type { Logger } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { EventEmitter2 } from '@nestjs/event-emitter';

/**
 * Publishes the module's events on `EventEmitter2` when `EventEmitterModule`
 * is imported (found once, lazily); else does nothing. A listener's failure
 * is logged (warn), never thrown into a login or an API call.
 *
 * @internal
 */
export class OAuthEventPublisher {
  private emitter?: EventEmitter2 | null;

  /**
   * @param logger - where a failing listener is reported
   * @param moduleRef - to find `EventEmitter2` anywhere in the app
   * @param emitter - an emitter injected directly, if any
   */
  constructor(
    private readonly logger: Logger,
    private readonly moduleRef?: ModuleRef,
    emitter?: EventEmitter2 | null,
  ) {
    this.emitter = emitter ?? undefined;
  }

  /**
   * Emits `event` with `payload`.
   *
   * @param event - the event name (`oauth.login`, `oauth.token.updated`)
   * @param payload - the event's payload object
   */
  publish(event: string, payload: unknown): void {
    const emitter = this.find();
    if (!emitter) return;
    try {
      emitter.emit(event, payload);
    } catch (err) {
      this.logger.warn(`a listener of "${event}" failed: ${(err as Error)?.name ?? 'error'}`);
    }
  }

  private find(): EventEmitter2 | null {
    if (this.emitter === undefined) {
      try {
        this.emitter = this.moduleRef?.get(EventEmitter2, { strict: false }) ?? null;
      } catch {
        this.emitter = null;
      }
    }
    return this.emitter;
  }
}
