export * from './oauth2-client.js';
export {
  clientNone,
  clientSecretBasic,
  clientSecretPost,
  CLIENT_ASSERTION_TYPE,
  clientAssertionClaims,
  formEncode,
  type ClientAuthFunction,
  type ClientAuthMethod,
  type ClientAuthRequest,
  type ClientCredentials,
  type ClientKey,
  type ClientAssertionClaims,
  type ClientAssertionOptions,
} from './client-auth.js';
export {
  createCodeChallenge,
  createCodeVerifier,
  isCodeVerifier,
  type CodeChallengeMethod,
} from './pkce.js';
