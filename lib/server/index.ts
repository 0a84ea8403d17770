// The framework-free provider side: `nestjs-oauth/server`.
export {
  formParameters,
  queryParameters,
  singleHeader,
  type RequestParameters,
  type ServerRequest,
  type ServerResponse,
} from './http/server-request.js';
export {
  DEFAULT_MAX_REQUEST_BODY,
  nodeRequestHeaders,
  readNodeRequest,
  writeNodeResponse,
  type NodeRequestOptions,
} from './http/node-adapter.js';
export * from './oauth1/index.js';
export * from './oauth2/index.js';
export * from './resource/index.js';
