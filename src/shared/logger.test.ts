import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from './logger.ts';
import { redactor } from './redact.ts';

/** Runs `work` with process.stderr.write captured; returns what was written. */
function captureStderr(work: () => void): string {
  const original = process.stderr.write.bind(process.stderr);
  let written = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    written += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  try {
    work();
  } finally {
    process.stderr.write = original;
  }
  return written;
}

test('log lines mask secret-named fields and scrub registered secret values, in text and JSON mode', () => {
  redactor.addSecret('registered-secret-31337');
  for (const json of [false, true]) {
    const out = captureStderr(() => {
      const logger = createLogger({ level: 'debug', json });
      logger.debug(
        { connector: { token: 'unregistered-token-1', page: 2 } },
        'calling with registered-secret-31337',
      );
      logger.info({ url: 'https://api.example.com/x?api_key=kk-778899&page=2' }, 'fetched');
      logger.warn('server said: bad key registered-secret-31337');
    });
    for (const secret of ['registered-secret-31337', 'unregistered-token-1', 'kk-778899']) {
      assert.ok(!out.includes(secret), `${secret} leaked (json=${json}):\n${out}`);
    }
    assert.match(out, /calling with \*\*\*/);
    assert.match(out, /page=2/);
    const lines = out.trim().split('\n');
    assert.equal(lines.length, 3, out);
    if (json) for (const line of lines) JSON.parse(line);
    else {
      assert.match(lines[0]!, /^debug: calling with \*\*\* connector=\{"token":"\*\*\*","page":2\}$/);
      assert.match(lines[1]!, /^fetched url=https:\/\/api\.example\.com\/x\?api_key=\*\*\*&page=2$/);
      assert.match(lines[2]!, /^warn: server said: bad key \*\*\*$/);
    }
  }
});

test('the level filters: info hides debug lines', () => {
  const out = captureStderr(() => {
    const logger = createLogger({ level: 'info', json: false });
    logger.debug('hidden');
    logger.info('shown');
  });
  assert.equal(out, 'shown\n');
});

test('an error logged as a field keeps its message and stack, scrubbed', () => {
  redactor.addSecret('error-secret-4711');
  const out = captureStderr(() => {
    createLogger({ level: 'info', json: true }).error(
      { err: new Error('upstream said error-secret-4711') },
      'failed',
    );
  });
  const line = JSON.parse(out) as { err: { type: string; message: string; stack: string } };
  assert.equal(line.err.type, 'Error');
  assert.equal(line.err.message, 'upstream said ***');
  assert.match(line.err.stack, /logger\.test\.ts/);
});
