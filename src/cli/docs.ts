import { lstatSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join, relative, resolve } from 'node:path';
import type { Command } from 'commander';
import { UsageError } from '../shared/errors.ts';
import { log } from '../shared/logger.ts';
import { formatBytes } from './table.ts';
import type { ContextProvider } from './verbs.ts';

/**
 * `vaultline docs generate` writes the lineage, node and data-dictionary pages as one HTML file that opens
 * from disk or any static host; `vaultline docs serve` serves it on loopback.
 */
export function registerDocs(program: Command, context: ContextProvider): void {
  const docs = program
    .command('docs')
    .description('the lineage and data dictionary as a static site (like dbt docs)');
  docs
    .command('generate')
    .description('write the lineage, node and data-dictionary pages into one self-contained HTML file')
    .option('--out <dir>', 'where to write index.html (default <target_path>/docs)')
    .action(async (flags: { out?: string }) => {
      const ctx = context();
      const config = ctx.loadConfig();
      const out = resolve(ctx.cwd, flags.out ?? join(config.projectDir, config.target_path, 'docs'));
      const { generateDocs } = await import('../ui/docs/generate.ts');
      const docsSite = await generateDocs(config, out);
      if (!docsSite.withWarehouse)
        log().warn(
          'docs: the warehouse could not be read (not built yet, or held by a build): column types, row counts and last builds are left out',
        );
      const shown = relative(ctx.cwd, docsSite.path) || docsSite.path;
      ctx.result(
        `${docsSite.nodes} node(s) in ${shown} (${formatBytes(docsSite.bytes)}); open it in a browser, or run \`vaultline docs serve\``,
        {
          path: docsSite.path,
          nodes: docsSite.nodes,
          bytes: docsSite.bytes,
          with_warehouse: docsSite.withWarehouse,
        },
      );
    });
  docs
    .command('serve')
    .description('serve the generated docs on 127.0.0.1 (Ctrl-C stops)')
    .option('--dir <dir>', 'the folder docs generate wrote (default <target_path>/docs)')
    .option('--port <n>', 'port (default 8080; 0 = any free port)', '8080')
    .action(async (flags: { dir?: string; port: string }) => {
      const ctx = context();
      const config = ctx.loadConfig();
      const dir = resolve(ctx.cwd, flags.dir ?? join(config.projectDir, config.target_path, 'docs'));
      const file = join(dir, 'index.html');
      let html: Buffer;
      try {
        if (lstatSync(file).isSymbolicLink())
          throw new UsageError(`${file} is a symlink; vaultline does not follow them`);
        html = readFileSync(file);
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(`no docs in ${dir}: run \`vaultline docs generate\` first`);
      }
      const port = Number(flags.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new UsageError(`--port must be a port number from 0 to 65535 (got "${flags.port}")`);
      const server = createServer((request, response) => {
        if (request.url !== '/' && request.url !== '/index.html') {
          response.writeHead(404).end('not found');
          return;
        }
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      });
      await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
      const address = server.address();
      const shownPort = typeof address === 'object' && address ? address.port : port;
      log().info(`docs: http://127.0.0.1:${shownPort}/ (Ctrl-C stops)`);
      await new Promise<void>((done) => {
        const stop = () => server.close(() => done());
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}
