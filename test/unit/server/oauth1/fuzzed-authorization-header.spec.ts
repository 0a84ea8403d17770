/**
 * 1,000 hostile `Authorization` headers (seeded, so every run sends the same
 * ones): a validly signed protected-resource request, then one mutation of
 * its header. Each must be refused with the status and oauth_problem its
 * mutation calls for (RFC 5849 §3.2: 400 for a malformed request, 401 for
 * credentials that do not check out), as an OAuth1ProviderError (never
 * another exception, which an app would turn into a 500), and without any
 * secret in the answer.
 */
import { percentEncode } from '../../../../lib/core/oauth1/percent-encode.js';
import type { ServerRequest } from '../../../../lib/server/http/server-request.js';
import { OAuth1ProviderError } from '../../../../lib/server/oauth1/index.js';
import { seededRandom } from '../../core/oauth1/seeded-random.js';
import {
  CLIENTS,
  URLS,
  client,
  issueAccessToken,
  makeProvider,
  toServerRequest,
  type TestProvider,
} from './support.js';

const CASES = 1000;
type Outcome = readonly [status: number, problem: string];
const MALFORMED: Outcome = [400, 'parameter_rejected'];
const ABSENT: Outcome = [400, 'parameter_absent'];

/** What replacing the value of a parameter with random text must give. */
const REPLACED: Record<string, Outcome[]> = {
  oauth_consumer_key: [[401, 'consumer_key_unknown'], MALFORMED],
  oauth_token: [[401, 'token_rejected'], MALFORMED],
  oauth_nonce: [[401, 'signature_invalid'], MALFORMED],
  oauth_timestamp: [MALFORMED, [401, 'timestamp_refused']],
  oauth_signature: [[401, 'signature_invalid']],
  oauth_signature_method: [[400, 'signature_method_rejected']],
  oauth_version: [[400, 'version_rejected']],
};
const REQUIRED = [
  'oauth_consumer_key',
  'oauth_token',
  'oauth_nonce',
  'oauth_timestamp',
  'oauth_signature',
  'oauth_signature_method',
];

interface Mutation {
  kind: string;
  header: string | string[];
  expected: Outcome[];
}

function pairsOf(header: string): string[] {
  return header.slice('OAuth '.length).split(', ');
}

function mutate(header: string, random: ReturnType<typeof seededRandom>): Mutation {
  const pairs = pairsOf(header);
  const kind = random.pick([
    'garbage after the scheme',
    'garbage',
    'drop',
    'duplicate',
    'truncate',
    'replace value',
    'break quote',
    'bad escape',
    'control character',
    'second header',
  ]);
  switch (kind) {
    case 'garbage after the scheme':
      return {
        kind,
        header: `OAuth ${random.text(random.int(1, 80))}`,
        expected: [MALFORMED, ABSENT],
      };
    case 'garbage':
      return { kind, header: random.text(random.int(1, 120)), expected: [MALFORMED, ABSENT] };
    case 'drop': {
      const name = random.pick(REQUIRED);
      const kept = pairs.filter((pair) => !pair.startsWith(`${name}=`));
      return { kind, header: `OAuth ${kept.join(', ')}`, expected: [ABSENT] };
    }
    case 'duplicate': {
      const pair = random.pick(pairs);
      const copy = pairs.slice();
      copy.splice(random.int(0, copy.length), 0, pair);
      return { kind, header: `OAuth ${copy.join(', ')}`, expected: [MALFORMED] };
    }
    case 'truncate':
      return {
        kind,
        header: header.slice(0, random.int('OAuth '.length, header.length - 1)),
        expected: [MALFORMED, ABSENT],
      };
    case 'replace value': {
      const name = random.pick(Object.keys(REPLACED));
      const value = percentEncode(random.text(random.int(1, 30)));
      const replaced = pairs.map((pair) =>
        pair.startsWith(`${name}=`) ? `${name}="${value}"` : pair,
      );
      return {
        kind: `${kind} of ${name}`,
        header: `OAuth ${replaced.join(', ')}`,
        expected: REPLACED[name]!,
      };
    }
    case 'break quote': {
      const quotes = [...header.matchAll(/"/g)].map((m) => m.index!);
      const at = random.pick(quotes);
      return { kind, header: header.slice(0, at) + header.slice(at + 1), expected: [MALFORMED] };
    }
    case 'bad escape': {
      const at = header.indexOf('"', header.indexOf(random.pick(REQUIRED))) + 1;
      // A % not followed by two hex digits (the next character is never hex).
      const bad = `%${random.pick(['G', 'z', 'x', '-', '.', '%'])}`;
      return { kind, header: header.slice(0, at) + bad + header.slice(at), expected: [MALFORMED] };
    }
    case 'control character': {
      const at = header.indexOf('"', header.indexOf(random.pick(REQUIRED))) + 1;
      const control = String.fromCharCode(random.pick([0, 1, 9, 10, 13, 27, 127]));
      return {
        kind,
        header: header.slice(0, at) + control + header.slice(at),
        expected: [MALFORMED],
      };
    }
    default:
      return { kind, header: [header, `OAuth ${random.text(20)}`], expected: [MALFORMED] };
  }
}

let t: TestProvider;
let token: { oauth_token: string; oauth_token_secret: string };
beforeAll(async () => {
  t = makeProvider();
  token = await issueAccessToken(t);
});

it(`refuses ${CASES} mutated Authorization headers with the right status, never anything else`, async () => {
  const random = seededRandom(0x5849);
  const secrets = [
    CLIENTS.a.clientSecret,
    percentEncode(CLIENTS.a.clientSecret),
    token.oauth_token_secret,
  ];
  const seen = new Map<string, number>();
  const wrong: string[] = [];
  const c = client();
  for (let i = 0; i < CASES; i++) {
    const valid: ServerRequest = toServerRequest(
      c.sign('GET', `${URLS.resource}?page=${i}`, {
        token,
        nonce: `fuzz-nonce-${i}`,
        timestamp: t.clock.now,
      }),
    );
    const mutation = mutate(String(valid.headers.authorization), random);
    const kind = mutation.kind.replace(/ of .*/, '');
    seen.set(kind, (seen.get(kind) ?? 0) + 1);
    let outcome: unknown;
    try {
      await t.provider.verifyRequest({ ...valid, headers: { authorization: mutation.header } });
      outcome = 'accepted';
    } catch (err) {
      outcome = err;
    }
    const label = `#${i} ${mutation.kind}: ${JSON.stringify(mutation.header)}`;
    if (!(outcome instanceof OAuth1ProviderError)) {
      wrong.push(`${label} -> ${outcome instanceof Error ? outcome.stack : String(outcome)}`);
      continue;
    }
    const got: Outcome = [outcome.response.status, outcome.problem];
    if (!mutation.expected.some(([s, p]) => s === got[0] && p === got[1])) {
      wrong.push(`${label} -> ${got.join(' ')}`);
    }
    const text = `${outcome.message} ${outcome.response.body}`;
    if (secrets.some((secret) => text.includes(secret))) wrong.push(`${label} -> leaks a secret`);
    if (!/^oauth_problem=/.test(outcome.response.body ?? '')) wrong.push(`${label} -> body`);
  }
  expect(wrong).toEqual([]);
  // Every kind of mutation was tried many times.
  for (const count of seen.values()) expect(count).toBeGreaterThan(50);
  expect(seen.size).toBe(10);
  // And the unmutated request still passes: the mutations, not the setup, were refused.
  const control = toServerRequest(c.sign('GET', URLS.resource, { token, timestamp: t.clock.now }));
  await expect(t.provider.verifyRequest(control)).resolves.toMatchObject({ user: { id: 'alice' } });
});
