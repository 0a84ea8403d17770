/**
 * The opt-in transport the benchmarks measure beside the platform `fetch`
 * (issue 18): the library's `nodeHttpFetch()`, a `fetch` on `node:http`,
 * given to a client as its `fetch` option.
 */
export { nodeHttpFetch } from '../lib/core/http/node-http-fetch.js';

/** How the rows of the opt-in transport are labelled. */
export const NODE_HTTP = 'fetch: nodeHttpFetch()';
