import assert from 'node:assert/strict';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { tempDir } from '../../../test/connectors/helpers.ts';
import { redactor } from '../../shared/redact.ts';
import { cassetteFileName } from './cassette.ts';
import { MissingCassetteError } from './errors.ts';
import { recordingTransport } from './record.ts';
import { replayTransport } from './replay.ts';
import type { Transport, TransportRequest } from './transport.ts';

const dirs: string[] = [];
after(() => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

function request(path: string, headers: Record<string, string> = {}): TransportRequest {
  return {
    method: 'GET',
    url: `https://api.example.org${path}`,
    headers,
    timeoutMs: 1000,
    source: 'demo',
    identity: `GET ${path}`,
  };
}

function fixed(
  status: number,
  body: Buffer,
  headers: Record<string, string> = {},
): Transport & { calls: number } {
  const transport = {
    kind: 'live' as const,
    calls: 0,
    async send() {
      transport.calls++;
      return { status, headers, body };
    },
  };
  return transport;
}

describe('cassettes: record and replay', () => {
  it('records a readable file per request and replays the exact bytes, status and headers', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const body = Buffer.from('[{"page":1,"pages":1},[{"value":"12"}]]');
    const recorder = recordingTransport(
      fixed(200, body, { 'content-type': 'application/json', etag: 'W/"1"' }),
      dir,
    );
    await recorder.send(request('/v2/x?page=1'));
    const files = await readdir(join(dir, 'demo'));
    assert.deepEqual(files, [cassetteFileName('GET /v2/x?page=1')]);
    assert.match(files[0]!, /^v2-x-page-1_[0-9a-f]{16}\.json$/);
    const file = JSON.parse(await readFile(join(dir, 'demo', files[0]!), 'utf8'));
    assert.equal(file.response.body, body.toString('utf8'), 'the body is kept as readable text');
    assert.equal(file.request.path, '/v2/x?page=1');

    const replayed = await replayTransport(dir).send(request('/v2/x?page=1'));
    assert.equal(replayed.status, 200);
    assert.ok(replayed.body.equals(body));
    assert.equal(replayed.headers.etag, 'W/"1"');
  });

  it('re-recording overwrites only that request, and bodies that are not UTF-8 survive as base64', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await recordingTransport(fixed(200, Buffer.from('{"v":1}')), dir).send(request('/a'));
    await recordingTransport(fixed(200, Buffer.from('{"v":1}')), dir).send(request('/b'));
    const binary = Buffer.from([0xff, 0xfe, 0x00, 0x7b]);
    await recordingTransport(fixed(200, binary), dir).send(request('/a'));
    assert.equal((await readdir(join(dir, 'demo'))).length, 2);
    const replay = replayTransport(dir);
    assert.ok((await replay.send(request('/a'))).body.equals(binary));
    assert.equal((await replay.send(request('/b'))).body.toString(), '{"v":1}');
  });

  it('never writes a secret: secret-named headers masked, registered values scrubbed from the body', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    redactor.addSecret('cassette-secret-555');
    const echo = Buffer.from('{"message":"invalid key cassette-secret-555"}');
    await recordingTransport(fixed(401, echo), dir).send(
      request('/v3/x', {
        'X-API-Key': 'cassette-secret-555',
        Authorization: 'Bearer cassette-secret-555',
        'user-agent': 'ua',
      }),
    );
    const [name] = await readdir(join(dir, 'demo'));
    const text = await readFile(join(dir, 'demo', name!), 'utf8');
    assert.ok(!text.includes('cassette-secret-555'), text);
    const file = JSON.parse(text);
    assert.deepEqual(file.request.headers, { 'x-api-key': '***', authorization: '***', 'user-agent': 'ua' });
  });

  it('scrubs a body that is not UTF-8 as bytes before base64, and the URL and headers with it', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    const secret = 'ghp_canary/Latin1+8642';
    const accented = 'mot-de-passé-97';
    redactor.addSecret(secret);
    redactor.addSecret(accented);
    // Latin-1 (é = 0xE9 is not valid UTF-8 on its own): recorded as base64, where a text scrub cannot see.
    const body = Buffer.from(`clé refusée: ${secret} (${encodeURIComponent(secret)}), ${accented}`, 'latin1');
    assert.ok(!Buffer.from(body.toString('utf8'), 'utf8').equals(body), 'the body is not UTF-8');
    const recorded = recordingTransport(
      fixed(401, body, { 'x-echo': `key ${secret}`, 'set-cookie': `s=${secret}` }),
      dir,
    );
    const sent = request(`/v3/x?api_key=${encodeURIComponent(secret)}&page=2`, { 'x-token-echo': secret });
    sent.identity = 'GET /v3/x?api_key=***&page=2';
    const answer = await recorded.send(sent);
    assert.ok(answer.body.equals(body), 'the caller still gets the exact bytes');
    const [name] = await readdir(join(dir, 'demo'));
    const text = await readFile(join(dir, 'demo', name!), 'utf8');
    const file = JSON.parse(text);
    assert.equal(file.response.body_encoding, 'base64');
    const stored = Buffer.from(file.response.body, 'base64');
    assert.equal(stored.toString('latin1'), 'clé refusée: *** (***), ***');
    assert.ok(!text.includes(secret) && !text.includes(encodeURIComponent(secret)), text);
    assert.equal(file.request.url, 'https://api.example.org/v3/x?api_key=***&page=2');
    assert.equal(file.response.headers['x-echo'], 'key ***');
    assert.equal(file.response.headers['set-cookie'], '***');
    assert.equal(file.request.headers['x-token-echo'], '***');
  });

  it('fails a request with no cassette, naming the URL and the file it looked for', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await assert.rejects(replayTransport(dir).send(request('/missing?page=3')), (error) => {
      assert.ok(error instanceof MissingCassetteError);
      assert.match(
        error.message,
        /no cassette for GET https:\/\/api\.example\.org\/missing\?page=3 in .*demo/,
      );
      assert.match(error.message, /missing-page-3_[0-9a-f]{16}\.json; record it with --record/);
      return true;
    });
  });

  it('refuses a cassette whose file name does not match the request it holds', async () => {
    const dir = await tempDir();
    dirs.push(dir);
    await recordingTransport(fixed(200, Buffer.from('{}')), dir).send(request('/a'));
    const [name] = await readdir(join(dir, 'demo'));
    const path = join(dir, 'demo', name!);
    const file = JSON.parse(await readFile(path, 'utf8'));
    file.request.path = '/b';
    await (await import('node:fs/promises')).writeFile(path, JSON.stringify(file));
    await assert.rejects(replayTransport(dir).send(request('/a')), /does not match GET \/a: it holds "\/b"/);
  });
});
