/** Which endpoint a decorated route is (the names of `endpoints`). */
export type OAuth2EndpointKind = 'authorization' | 'token' | 'revocation' | 'introspection';

/** Metadata key: the endpoint kind, on the route handler. */
export const OAUTH2_ENDPOINT_METADATA = 'nestjs-oauth:oauth2-endpoint';
