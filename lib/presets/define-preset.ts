/**
 * `definePreset()`: the one shape every provider file fills in (hosts,
 * endpoints, scope, client authentication, PKCE, refresh, quirks, profile
 * mapping). It builds the preset function and keeps the definition for the
 * generated `docs/presets.md` table.
 */
import { InvalidResponseError } from '../core/errors.js';
import type { ClientAuthFunction, ClientAuthMethod } from '../core/oauth2/client-auth.js';
import type { OAuth1Client } from '../core/oauth1/oauth1-client.js';
import type { OAuth2Client } from '../core/oauth2/oauth2-client.js';
import { describeEndpoint } from '../core/util/redact.js';
import type {
  OAuthAnyToken,
  OAuthClientOptions,
  OAuthComplianceTransport,
  OAuthProfileMapper,
} from '../interfaces/oauth-client-options.interface.js';
import type { OAuthProfileContext, PresetOptions, StandardClaims } from './preset.interface.js';
import { markPresetMapper, standaloneProfileContext } from './profile-context.js';
import {
  mergePreset,
  optionalBoolean,
  optionalString,
  presetError,
  siteUrl,
  toSub,
} from './preset.util.js';

/** The normalized claims a preset can fill (the columns of the docs table). */
export type ProfileField =
  'sub' | 'name' | 'email' | 'email_verified' | 'picture' | 'preferred_username' | 'profile';

/** A way a provider departs from the RFCs, and the hook that handles it. */
export interface PresetQuirk {
  /** A stable id (`github-user-emails`): each has a test named after it. */
  id: string;
  /** One line for the docs table. */
  summary: string;
}

/** A provider's JSON, as a mapping reads it. */
export type RawProfile = Record<string, any>;

/** What a definition's mapping returns: claims in any JSON type, normalized afterwards. */
export type ClaimsDraft = { [K in ProfileField]?: unknown } & Record<string, unknown>;

/** The URLs and parameters a definition builds from its hosts and options. */
export type PresetEndpoints = Omit<
  OAuthClientOptions,
  'clientId' | 'clientSecret' | 'profile' | 'complianceFix'
> & {
  /** The RFC 7009 revocation endpoint, when the provider has one. */
  revocationEndpoint?: string;
};

/** One configuration of a preset, as its mapping sees it. */
export interface PresetSite<H extends string, P> {
  /** The hosts, after `baseUrls`. */
  hosts: Record<H, string>;
  /** The endpoints built from them. */
  endpoints: PresetEndpoints;
  /** The caller's options. */
  options: P;
}

/** A client authentication method named for the docs, when it is a function. */
export interface NamedClientAuth {
  /** How the docs table names it. */
  label: string;
  /** The method (else `clientAuthFor` builds one per configuration). */
  method?: ClientAuthFunction;
}

/** Everything a provider file declares. `H`: its host names; `P`: its options. */
export interface PresetDefinition<H extends string, P extends PresetOptions<H>> {
  /** The preset's name (`presets.<name>()`). */
  name: string;
  /** The provider's name for people. */
  title: string;
  /** The provider's documentation of its OAuth flow. */
  docs: string;
  /** `oidc`: OpenID Connect (ID token validated); `oauth2`; `oauth1` (RFC 5849). */
  protocol: 'oauth2' | 'oidc' | 'oauth1';
  /** The provider's hosts by name, each overridable with `baseUrls`. */
  hosts: Record<H, string>;
  /** The PKCE method sent (OAuth 2), or `false`. */
  pkce?: 'S256' | 'plain' | false;
  /** Token endpoint client authentication (OAuth 2; default `client_secret_basic`). */
  clientAuth?: ClientAuthMethod | NamedClientAuth;
  /** Builds the client authentication from the caller's options (a signing key, ...). */
  clientAuthFor?(options: P): ClientAuthFunction;
  /** The default scope. */
  scope?: string;
  /** Whether the provider issues refresh tokens (perhaps only with an option or scope). */
  refresh: boolean;
  /** The claims the mapping fills when the provider has them. */
  fields: readonly ProfileField[];
  /** The provider's quirks, each handled by a hook in the provider's file. */
  quirks?: readonly PresetQuirk[];
  /** Option keys that are the preset's own (not client options). */
  params?: readonly string[];
  /** Options that make a working preset, for the docs and tests (the required ones). */
  example?: Partial<P>;
  /** The endpoints, from the hosts (after `baseUrls`) and the caller's options. */
  endpoints(hosts: Record<H, string>, options: P): PresetEndpoints;
  /**
   * Maps the raw profile (ID token claims + UserInfo, or the profile API
   * answer); `site` holds the hosts and endpoints of this configuration, for
   * further calls through `context.request`.
   */
  profile(
    user: RawProfile,
    token: RawProfile,
    context: OAuthProfileContext,
    site: PresetSite<H, P>,
  ): ClaimsDraft | Promise<ClaimsDraft>;
  /** Registers the provider's compliance hooks on each new core client. */
  complianceFix?(
    client: OAuth2Client | OAuth1Client,
    transport: OAuthComplianceTransport,
    options: P,
  ): void;
}

/** A preset function: options with required keys make the argument required. */
export type Preset<P> =
  Partial<Record<never, never>> extends P
    ? (options?: P) => OAuthClientOptions
    : (options: P) => OAuthClientOptions;

/** What the docs table and the tests read about a preset. */
export interface PresetInfo {
  /** See {@link PresetDefinition}. */
  name: string;
  /** See {@link PresetDefinition}. */
  title: string;
  /** See {@link PresetDefinition}. */
  docs: string;
  /** See {@link PresetDefinition}. */
  protocol: 'oauth2' | 'oidc' | 'oauth1';
  /** The PKCE method, `false` when none is sent (always `false` for OAuth 1). */
  pkce: 'S256' | 'plain' | false;
  /** The client authentication method's name. */
  clientAuth: string;
  /** See {@link PresetDefinition}. */
  refresh: boolean;
  /** Whether the preset knows an RFC 7009 revocation endpoint. */
  revoke: boolean;
  /** See {@link PresetDefinition}. */
  fields: readonly ProfileField[];
  /** See {@link PresetDefinition}. */
  quirks: readonly PresetQuirk[];
  /** The host names `baseUrls` takes. */
  hosts: readonly string[];
  /** The preset's own options. */
  params: readonly string[];
  /** See {@link PresetDefinition}. */
  example: Record<string, unknown>;
}

const infos = new WeakMap<object, PresetInfo>();

/**
 * Builds a preset function from a definition.
 *
 * @param def - the provider's definition
 * @returns `presets.<name>(options?)`
 */
export function definePreset<H extends string, P extends PresetOptions<H> = PresetOptions<H>>(
  def: PresetDefinition<H, P>,
): Preset<P> {
  const factory = (options?: P): OAuthClientOptions => {
    const given = (options ?? {}) as P;
    const { baseUrls, ...rest } = given as PresetOptions<H> & Record<string, unknown>;
    for (const key of def.params ?? []) delete rest[key];
    const hosts = resolveHosts(def, baseUrls);
    const endpoints = def.endpoints(hosts, given);
    const { revocationEndpoint, clientKwargs, ...urls } = endpoints;
    const defaults: OAuthClientOptions = {
      ...urls,
      profile: wrapProfile(def, { hosts, endpoints, options: given }),
    };
    if (def.protocol !== 'oauth1') {
      defaults.codeChallengeMethod = def.pkce ?? false;
      defaults.clientKwargs = definedOnly({
        scope: def.scope,
        tokenEndpointAuthMethod: def.clientAuthFor
          ? def.clientAuthFor(given)
          : typeof def.clientAuth === 'object'
            ? def.clientAuth.method
            : def.clientAuth,
        revocationEndpoint,
        ...clientKwargs,
      });
    } else if (clientKwargs) {
      defaults.clientKwargs = clientKwargs;
    }
    if (def.complianceFix) {
      const fix = def.complianceFix;
      defaults.complianceFix = (client, transport = {}) => fix(client, transport, given);
    }
    return mergePreset(defaults, rest);
  };
  Object.defineProperty(factory, 'name', { value: def.name });
  infos.set(factory, describe(def));
  return factory as Preset<P>;
}

/**
 * The definition behind a preset function (for the docs generator and tests).
 *
 * @param preset - a function of `presets`
 * @returns its info, or `undefined` for a function `definePreset` did not build
 */
export function presetInfo(preset: unknown): PresetInfo | undefined {
  return typeof preset === 'function' ? infos.get(preset) : undefined;
}

function describe<H extends string, P extends PresetOptions<H>>(
  def: PresetDefinition<H, P>,
): PresetInfo {
  const example = (def.example ?? {}) as P;
  const auth = def.clientAuth ?? 'client_secret_basic';
  return {
    name: def.name,
    title: def.title,
    docs: def.docs,
    protocol: def.protocol,
    pkce: def.protocol === 'oauth1' ? false : (def.pkce ?? false),
    clientAuth:
      def.protocol === 'oauth1' ? 'HMAC-SHA1' : typeof auth === 'object' ? auth.label : auth,
    refresh: def.refresh,
    revoke: Boolean(def.endpoints(def.hosts, example).revocationEndpoint),
    fields: def.fields,
    quirks: def.quirks ?? [],
    hosts: Object.keys(def.hosts),
    params: def.params ?? [],
    example: { ...(example as Record<string, unknown>) },
  };
}

function resolveHosts<H extends string>(
  def: { name: string; hosts: Record<H, string> },
  overrides: Partial<Record<H, string>> | undefined,
): Record<H, string> {
  const hosts = { ...def.hosts };
  for (const [key, value] of Object.entries(overrides ?? {}) as [H, string | undefined][]) {
    if (value === undefined) continue;
    if (!(key in hosts)) {
      throw presetError(
        `presets.${def.name}(): baseUrls.${key} is not a host of this preset (hosts: ${Object.keys(hosts).join(', ')})`,
      );
    }
    hosts[key] = siteUrl(value, `presets.${def.name}(): baseUrls.${key}`);
  }
  return hosts;
}

/** The definition's mapping, with the checks and normalization every preset shares. */
function wrapProfile<H extends string, P extends PresetOptions<H>>(
  def: PresetDefinition<H, P>,
  site: PresetSite<H, P>,
): OAuthProfileMapper {
  const userinfoEndpoint = site.endpoints.userinfoEndpoint;
  const where = userinfoEndpoint?.startsWith('http')
    ? describeEndpoint(userinfoEndpoint)
    : `${def.title} profile`;
  return markPresetMapper(async (raw, token, context) => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      throw new InvalidResponseError(where, 'the profile is not a JSON object');
    }
    const ctx = context ?? standaloneProfileContext(accessTokenOf(token));
    return normalizeClaims(await def.profile(raw, token as RawProfile, ctx, site), where);
  });
}

function accessTokenOf(token: OAuthAnyToken | undefined): string | undefined {
  const value = (token as { access_token?: unknown } | undefined)?.access_token;
  return typeof value === 'string' ? value : undefined;
}

/**
 * Normalizes a mapping's draft: `sub` to a non-empty string, the text
 * claims to non-empty strings, `email_verified` to a boolean; empty values
 * are dropped, other claims kept as they are.
 *
 * @throws {InvalidResponseError} when there is no user id
 */
export function normalizeClaims(draft: ClaimsDraft, where: string): StandardClaims {
  const sub = toSub(draft.sub);
  if (sub === '') throw new InvalidResponseError(where, 'the profile has no user id');
  const claims: StandardClaims = { sub };
  for (const [key, value] of Object.entries(draft)) {
    if (key === 'sub' || value === undefined || value === null || value === '') continue;
    if (key === 'email_verified') {
      const verified = optionalBoolean(value);
      if (verified !== undefined) claims.email_verified = verified;
    } else if (TEXT_CLAIMS.has(key)) {
      const text = optionalString(value);
      if (text !== undefined) claims[key] = text;
    } else {
      claims[key] = value;
    }
  }
  return claims;
}

const TEXT_CLAIMS = new Set(['name', 'email', 'picture', 'preferred_username', 'profile']);

function definedOnly(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined));
}
