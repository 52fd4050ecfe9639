// A browser-like client over app.inject: keeps cookies, follows nothing, fills in the CSRF field from the last page.
import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

export class WebClient {
  readonly cookies = new Map<string, string>();
  private csrf = '';

  constructor(
    private readonly app: FastifyInstance,
    /** The client's address, so tests can stand for different people behind different connections. */
    private readonly ip = '127.0.0.1',
  ) {}

  private remember(res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies) {
      if (c.maxAge === 0 || (c.expires && c.expires.getTime() < Date.now())) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const token = /name="_csrf" value="([^"]+)"/.exec(res.body)?.[1];
    if (token) this.csrf = token;
    return res;
  }

  async get(url: string): Promise<LightMyRequestResponse> {
    return this.remember(
      await this.app.inject({ method: 'GET', url, remoteAddress: this.ip, cookies: Object.fromEntries(this.cookies) }),
    );
  }

  /** Signs in through the login form as a browser does: the test fails unless the form redirects (303). */
  async signIn(phone: string, password: string): Promise<this> {
    await this.get('/login');
    const res = await this.post('/login', { phone, password });
    assert.equal(res.statusCode, 303, `${phone} signs in: ${res.body.slice(0, 300)}`);
    return this;
  }

  /** Posts a form as a browser would, with the CSRF token of the last page unless `csrf: false`. */
  async post(url: string, form: Record<string, string>, { csrf = true } = {}): Promise<LightMyRequestResponse> {
    const payload = new URLSearchParams({ ...(csrf ? { _csrf: this.csrf } : {}), ...form }).toString();
    return this.remember(
      await this.app.inject({
        method: 'POST',
        url,
        remoteAddress: this.ip,
        payload,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        cookies: Object.fromEntries(this.cookies),
      }),
    );
  }
}
