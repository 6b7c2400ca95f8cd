import { describe, expect, it } from 'vitest';
import { json } from './respond.ts';
import type { Route } from './route.ts';
import { normalisePath, Router } from './router.ts';

const route = (method: Route['method'], path: string): Route => ({
  method,
  path,
  tag: 'management',
  summary: '',
  handler: async () => json(200, { method }),
});

describe('Router', () => {
  it('serves GET and POST of one parameterised path (regression: the second method was answered 405)', () => {
    const r = new Router([route('GET', '/a/:domain/vas'), route('POST', '/a/:domain/vas')]);
    const get = r.match('GET', '/a/example.com/vas');
    const post = r.match('POST', '/a/example.com/vas');
    expect('route' in get && get.route.method).toBe('GET');
    expect('route' in post && post.params).toEqual({ domain: 'example.com' });
    expect(r.match('DELETE', '/a/x/vas')).toEqual({ error: 'METHOD_NOT_ALLOWED', allowed: ['GET', 'POST'] });
  });

  it('normalises the doubled slashes and /services/api prefixes real clients send', () => {
    expect(normalisePath('//services/api/smart-accounts-and-licensing//v2/accounts/')).toBe(
      '/services/api/smart-accounts-and-licensing/v2/accounts',
    );
    expect(normalisePath('/services/api/services/api/services/api/x')).toBe('/services/api/x');
    expect(normalisePath('/services/apix/services/api/y')).toBe('/services/apix/services/api/y');
  });
});
