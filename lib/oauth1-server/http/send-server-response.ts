import type { ServerResponse } from '../../server/http/server-request.js';

/** What is used of Nest's HTTP adapter. */
interface ReplyingAdapter {
  status(response: unknown, statusCode: number): unknown;
  setHeader(response: unknown, name: string, value: string): unknown;
  reply(response: unknown, body: unknown, statusCode?: number): unknown;
}

/**
 * Sends a response of the provider core as it is (status, headers, body)
 * through Nest's HTTP adapter, on Express and Fastify alike.
 *
 * @param adapter - Nest's HTTP adapter
 * @param response - the framework response (Express `Response`, `FastifyReply`)
 * @param answer - what the core decided
 * @internal
 */
export function sendServerResponse(
  adapter: ReplyingAdapter,
  response: unknown,
  answer: ServerResponse,
): void {
  adapter.status(response, answer.status);
  for (const [name, value] of Object.entries(answer.headers)) {
    adapter.setHeader(response, name, value);
  }
  adapter.reply(response, answer.body, answer.status);
}
