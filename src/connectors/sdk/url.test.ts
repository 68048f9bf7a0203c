import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { redactor } from '../../shared/redact.ts';
import { parseLinkHeader } from './pagination.ts';
import { buildUrl, queryString, relativeRequest, requestIdentity } from './url.ts';

describe('urls and request identity', () => {
  it('builds one canonical query: given order, undefined left out, commas and colons readable', () => {
    assert.equal(
      queryString({
        format: 'json',
        date: '2015:2024',
        skip: undefined,
        hourly: 'a,b',
        tz: 'Africa/Johannesburg',
      }),
      '?format=json&date=2015:2024&hourly=a,b&tz=Africa%2FJohannesburg',
    );
    assert.equal(
      buildUrl('http://h:1/prefix/', { path: '/v2/x', query: { page: 2 } }),
      'http://h:1/prefix/v2/x?page=2',
    );
  });

  it('identifies a request by method, path and query only: the base URL does not matter', () => {
    assert.equal(requestIdentity('get', { path: '/v4/launches' }), 'GET /v4/launches');
  });

  it('redacts secret-named query parameters and registered secrets out of the identity', () => {
    redactor.addSecret('query-secret-987');
    assert.equal(
      requestIdentity('GET', { path: '/x', query: { api_key: 'abc', q: 'query-secret-987' } }),
      'GET /x?api_key=***&q=***',
    );
  });

  it('maps an absolute Link URL back under the configured base, or the default host a mirror echoes', () => {
    const bases = ['http://127.0.0.1:5000/proxy', 'https://api.github.com'];
    assert.deepEqual(
      relativeRequest('http://127.0.0.1:5000/proxy/repos/a/b/commits?page=2&per_page=5', bases),
      {
        path: '/repos/a/b/commits',
        query: { page: '2', per_page: '5' },
      },
    );
    assert.deepEqual(relativeRequest('https://api.github.com/repositories/1/commits?page=2', bases), {
      path: '/repositories/1/commits',
      query: { page: '2' },
    });
    assert.equal(relativeRequest('https://evil.example/steal', bases), undefined);
    assert.equal(relativeRequest('http://127.0.0.1:5000/other/x', bases), undefined, 'outside the base path');
  });

  it('parses RFC 8288 Link headers', () => {
    const header =
      '<https://api.github.com/x?page=2>; rel="next", <https://api.github.com/x?page=9>; rel="last"';
    assert.deepEqual(parseLinkHeader(header), {
      next: 'https://api.github.com/x?page=2',
      last: 'https://api.github.com/x?page=9',
    });
    assert.deepEqual(parseLinkHeader('<https://a/b>; rel=prev'), { prev: 'https://a/b' });
    assert.equal(parseLinkHeader(undefined), undefined);
  });
});
