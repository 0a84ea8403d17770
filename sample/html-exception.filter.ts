import { Catch, HttpException, Logger, type ArgumentsHost } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { OAuthRedirectException } from '../lib/index.js';
import { errorPage } from './views.js';

/**
 * Renders failed logins (the library's `OAuthException`, a 4xx/5xx with
 * `{ statusCode, error, message }` and no secret in it) and 404s as a page
 * with a way back, instead of JSON; anything else is a plain 500 page. A
 * login's redirect (`OAuthRedirectException`, a 302 whose `Location` the
 * guard has set) goes to Nest's own filter: it is not an error.
 *
 * Platform-neutral: it answers through Nest's HTTP adapter (Express or Fastify).
 */
@Catch()
export class HtmlExceptionFilter extends BaseExceptionFilter {
  private readonly logger = new Logger('Sample');

  override catch(exception: unknown, host: ArgumentsHost): void {
    if (exception instanceof OAuthRedirectException) return super.catch(exception, host);
    let status = 500;
    let error = 'server_error';
    let message = 'Something went wrong.';
    if (exception instanceof HttpException) {
      status = exception.getStatus();
      const body = exception.getResponse();
      if (typeof body === 'object' && body !== null) {
        const { error: code, message: text } = body as { error?: unknown; message?: unknown };
        if (typeof code === 'string') error = code;
        if (typeof text === 'string') message = text;
      } else if (typeof body === 'string') {
        message = body;
      }
    } else {
      this.logger.error(`unexpected error: ${(exception as Error)?.name ?? 'unknown'}`);
    }
    const adapter = this.httpAdapterHost!.httpAdapter;
    const response = host.switchToHttp().getResponse();
    adapter.setHeader(response, 'content-type', 'text/html; charset=utf-8');
    adapter.reply(response, errorPage(status, error, message), status);
  }
}
