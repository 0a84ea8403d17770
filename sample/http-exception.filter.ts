import {
  Catch,
  HttpException,
  Logger,
  type ArgumentsHost,
  type ExceptionFilter,
} from '@nestjs/common';
import { errorPage } from './views.js';

/**
 * Renders failed logins (the library's `OAuthException`, a 4xx/5xx with
 * `{ statusCode, error, message }` and no secret in it) as a page with a way
 * back, instead of JSON. Anything else is a plain 500.
 */
@Catch()
export class HtmlExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('Sample');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<{
      status(code: number): { type(t: string): { send(body: string): void } };
    }>();
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
    res
      .status(status)
      .type('text/html; charset=utf-8')
      .send(errorPage(status, error, message));
  }
}
