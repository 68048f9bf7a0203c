import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Command } from 'commander';
import { assertKeyPart } from '../landing/keys.ts';
import { landPayload, topLevelRecordCount } from '../landing/land.ts';
import { checkJson } from '../landing/metadata.ts';
import { openLandingStore } from '../landing/open-store.ts';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import type { ContextProvider } from './verbs.ts';
import { VERSION } from './version.ts';

/** `vaultline land FILE --source S --resource R`: land a local file as a payload (manual loads, tests). */
export function registerLand(program: Command, context: ContextProvider): void {
  program
    .command('land')
    .description('land a local file as a raw payload; prints the landing key')
    .argument('<file>', 'the file to land (its bytes are kept exactly)')
    .requiredOption('--source <source>', 'source name, e.g. usgs')
    .requiredOption('--resource <resource>', 'resource name, e.g. earthquakes')
    .action(async (file: string, options: { source: string; resource: string }) => {
      const ctx = context();
      for (const [kind, value] of [
        ['source', options.source],
        ['resource', options.resource],
      ] as const) {
        try {
          assertKeyPart(kind, value);
        } catch (error) {
          throw new UsageError(`--${kind}: ${(error as Error).message}`);
        }
      }
      const path = resolve(ctx.cwd, file);
      const body = await readFile(path).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(
          `cannot read ${path}: ${error.code === 'ENOENT' ? 'no such file' : error.message}`,
        );
      });
      const store = openLandingStore(ctx.loadConfig());
      log().debug({ file: path, bytes: body.byteLength, store: store.location }, 'landing a file');
      const json = checkJson(body);
      const meta = await landPayload(store, {
        source: options.source,
        resource: options.resource,
        body,
        request: { method: 'FILE', url: pathToFileURL(path).toString() },
        response: null,
        recordCount: json.valid ? topLevelRecordCount(json.value) : null,
        connector: { name: 'vaultline-land', version: VERSION },
        runId: randomUUID(),
        transport: 'file',
      });
      log().debug({ key: meta.key, sha256: meta.sha256, compressed_bytes: meta.compressed_bytes }, 'landed');
      if (!meta.valid_json) {
        log().warn(
          `${path} is not valid JSON (${meta.parse_error}); landed as is and marked valid_json: false`,
        );
      }
      ctx.result(meta.key, {
        key: meta.key,
        bytes: meta.bytes,
        records: meta.record_count,
        sha256: meta.sha256,
      });
    });
}
