export * from './oauth2-client.js';
export {
  clientNone,
  clientSecretBasic,
  clientSecretPost,
  formEncode,
  type ClientAuthFunction,
  type ClientAuthMethod,
  type ClientAuthRequest,
  type ClientCredentials,
  type ClientKey,
  type ClientAssertionOptions,
} from './client-auth.js';
export { createCodeChallenge, createCodeVerifier, type CodeChallengeMethod } from './pkce.js';
