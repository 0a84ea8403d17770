// The context a profile mapping gets: calls through the client's sender, bodies read with the
// core's bounded reader, errors that name the endpoint without the user's token.
import { InvalidResponseError, OAuthTimeoutError } from '../../../lib/core/errors.js';
import {
  createProfileContext,
  markPresetMapper,
  runProfileMapper,
  type ProfileSender,
} from '../../../lib/presets/profile-context.js';

const TOKEN = 'tok-7f3a9c1e5b';

function recording(answer: () => Response): {
  send: ProfileSender;
  calls: { method: string; url: string; init: RequestInit; withToken: boolean }[];
} {
  const calls: { method: string; url: string; init: RequestInit; withToken: boolean }[] = [];
  return {
    calls,
    send: async (method, url, init, withToken) => {
      calls.push({ method, url, init, withToken });
      return answer();
    },
  };
}

const settings = (send: ProfileSender, timeout?: number) => ({
  name: 'github2',
  clientId: 'client-1',
  send,
  timeout,
  secrets: [TOKEN],
  authorizationResponse: new URLSearchParams('code=c&realmId=42'),
});

describe('profile context', () => {
  it('sends through the client: method, query, form or JSON body, with the token unless told not to', async () => {
    const { send, calls } = recording(() => Response.json({ ok: true }));
    const context = createProfileContext(settings(send));
    expect(context).toMatchObject({ name: 'github2', clientId: 'client-1' });
    expect(context.authorizationResponse?.get('realmId')).toBe('42');

    expect(
      await context.request('https://api.example/me', { query: { a: '1', b: undefined } }),
    ).toEqual({ ok: true });
    await context.request('https://api.example/rpc', { method: 'post', json: null });
    await context.request('https://api.example/form', {
      method: 'POST',
      form: { x: 'y', z: undefined },
      withToken: false,
    });

    expect(calls.map((c) => [c.method, c.url, c.init.body, c.withToken])).toEqual([
      ['GET', 'https://api.example/me?a=1', undefined, true],
      ['POST', 'https://api.example/rpc', 'null', true],
      ['POST', 'https://api.example/form', 'x=y', false],
    ]);
    expect(calls[1].init.headers).toMatchObject({
      'content-type': 'application/json',
      accept: 'application/json',
    });
    expect(calls[2].init.headers).toMatchObject({
      'content-type': 'application/x-www-form-urlencoded',
    });
  });

  it('refuses a non-2xx answer or a body that is not JSON, naming the endpoint without the token', async () => {
    const failing = createProfileContext(
      settings(recording(() => new Response('{}', { status: 403 })).send),
    );
    const err = await failing
      .request(`https://api.example/tokens/${TOKEN}?secret=1`)
      .catch((e: Error) => e);
    expect(err).toBeInstanceOf(InvalidResponseError);
    expect((err as Error).message).toContain('https://api.example/tokens/');
    expect((err as Error).message).toContain('HTTP 403');
    expect((err as Error).message).not.toContain(TOKEN);
    expect((err as Error).message).not.toContain('secret=1');

    const html = createProfileContext(settings(recording(() => new Response('<html>')).send));
    await expect(html.request('https://api.example/me')).rejects.toBeInstanceOf(
      InvalidResponseError,
    );
  });

  it('gives up on a body that stalls, after the timeout', async () => {
    const stalled = new ReadableStream({ start: (c) => c.enqueue(new TextEncoder().encode('[')) });
    const context = createProfileContext(settings(recording(() => new Response(stalled)).send, 50));
    const started = Date.now();
    await expect(context.request('https://api.example/slow')).rejects.toBeInstanceOf(
      OAuthTimeoutError,
    );
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it("runs a mapping with the context; a preset's result gets raw unless it set its own", async () => {
    const { send } = recording(() => Response.json({}));
    const custom = await runProfileMapper(
      (raw) => ({ sub: String(raw.id) }),
      { id: 7 },
      { access_token: TOKEN },
      settings(send),
    );
    expect(custom).toEqual({ sub: '7' });
    const plain = await runProfileMapper(
      markPresetMapper((raw: Record<string, unknown>) => ({ sub: String(raw.id) })),
      { id: 7 },
      { access_token: TOKEN },
      settings(send),
    );
    expect(plain).toEqual({ sub: '7', raw: { id: 7 } });
    const own = await runProfileMapper(
      markPresetMapper((_raw: unknown, _token: unknown, context?: { name: string }) => ({
        sub: '1',
        raw: { from: context?.name },
      })),
      undefined,
      { access_token: TOKEN },
      settings(send),
    );
    expect(own).toEqual({ sub: '1', raw: { from: 'github2' } });
  });
});
