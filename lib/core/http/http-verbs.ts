/**
 * The `get/post/put/patch/delete` shortcuts shared by every client, over the
 * class's own `request(method, url, init)`.
 */
export abstract class HttpVerbs<Init extends RequestInit = RequestInit, Url = string> {
  /** Sends an authorized request; each client attaches its own credentials. */
  abstract request(method: string, url: Url, init?: Init): Promise<Response>;

  /** `GET` a protected resource; see `request`. */
  get(url: Url, init?: Init): Promise<Response> {
    return this.request('GET', url, init);
  }

  /** `POST` to a protected resource; see `request`. */
  post(url: Url, init?: Init): Promise<Response> {
    return this.request('POST', url, init);
  }

  /** `PUT` to a protected resource; see `request`. */
  put(url: Url, init?: Init): Promise<Response> {
    return this.request('PUT', url, init);
  }

  /** `PATCH` a protected resource; see `request`. */
  patch(url: Url, init?: Init): Promise<Response> {
    return this.request('PATCH', url, init);
  }

  /** `DELETE` a protected resource; see `request`. */
  delete(url: Url, init?: Init): Promise<Response> {
    return this.request('DELETE', url, init);
  }
}
