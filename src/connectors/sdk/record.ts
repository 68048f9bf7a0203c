import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock } from '../../shared/clock.ts';
import { systemClock } from '../../shared/clock.ts';
import { redactor } from '../../shared/redact.ts';
import { CASSETTE_VERSION, type Cassette, cassetteFileName, encodeBody, redactHeaders } from './cassette.ts';
import type { Transport } from './transport.ts';

/**
 * Wraps a live transport and saves every response it gets as a cassette in `<dir>/<source>/`. Each
 * attempt overwrites the request's file, so after retries the cassette holds the answer that was used.
 * Written to a temp name and renamed, so a crash never leaves half a cassette.
 */
export function recordingTransport(inner: Transport, dir: string, clock: Clock = systemClock): Transport {
  return {
    kind: 'record',
    async send(request) {
      const response = await inner.send(request);
      const cassette: Cassette = {
        cassette_version: CASSETTE_VERSION,
        source: request.source,
        recorded_at: clock.now().toISOString(),
        request: {
          method: request.method,
          path: redactor.text(request.identity.replace(/^[A-Z]+\s+/, '')),
          url: redactor.url(request.url),
          headers: redactHeaders(request.headers),
        },
        response: {
          status: response.status,
          headers: redactHeaders(response.headers),
          // Scrubbed as bytes before encoding: once base64, a secret in a body that is not UTF-8
          // (a Latin-1 error page echoing the key) would be invisible to the text scrub below.
          ...encodeBody(redactor.bytes(response.body)),
        },
      };
      const folder = join(dir, request.source);
      await mkdir(folder, { recursive: true });
      const target = join(folder, cassetteFileName(request.identity));
      const temp = `${target}.${process.pid}.tmp`;
      // The body may echo a secret back (an error quoting the key): scrub the whole file as text.
      await writeFile(temp, `${redactor.text(JSON.stringify(cassette, null, 2))}\n`);
      await rename(temp, target);
      return response;
    },
  };
}
