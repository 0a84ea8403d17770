// RFC 7523 JWT bearer grant client (service accounts).
export {
  AssertionClient,
  JWT_BEARER_GRANT_TYPE,
  type AssertionClientOptions,
  type AssertionKey,
} from './assertion-client.js';
