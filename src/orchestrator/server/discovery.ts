import { randomBytes } from 'node:crypto';
import {
  closeSync,
  constants,
  fsyncSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { VaultlineConfig } from '../../config/schema.ts';

/**
 * How a CLI finds the server that owns its project: `<state_path>/server.json`, readable by the
 * owner only (it holds the token that POSTs must carry), written when the server listens and removed
 * when it stops. A file left by a killed server is recognised by its dead pid and ignored.
 */
export interface ServerInfo {
  pid: number;
  host: string;
  port: number;
  token: string;
  projectDir: string;
  startedAt: string;
  url: string;
}

export function serverInfoPath(config: Pick<VaultlineConfig, 'projectDir' | 'serve'>): string {
  return join(config.projectDir, config.serve.state_path, 'server.json');
}

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

export function writeServerInfo(path: string, info: ServerInfo): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(
    temp,
    constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW,
    0o600,
  );
  try {
    writeSync(fd, `${JSON.stringify(info, null, 2)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, path);
}

export function removeServerInfo(path: string, pid: number): void {
  const info = readServerInfo(path);
  if (info && info.pid === pid) rmSync(path, { force: true });
}

export function readServerInfo(path: string): ServerInfo | undefined {
  try {
    if (lstatSync(path).isSymbolicLink()) return undefined;
    const info = JSON.parse(readFileSync(path, 'utf8')) as ServerInfo;
    return typeof info.port === 'number' && typeof info.token === 'string' ? info : undefined;
  } catch {
    return undefined;
  }
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The running server of this project, if one answers. */
export async function findServer(
  config: Pick<VaultlineConfig, 'projectDir' | 'serve'>,
): Promise<ServerInfo | undefined> {
  const info = readServerInfo(serverInfoPath(config));
  if (!info || !isAlive(info.pid)) return undefined;
  try {
    const response = await fetch(`${info.url}/api/health`, { signal: AbortSignal.timeout(2000) });
    if (!response.ok) return undefined;
    const health = (await response.json()) as { projectDir?: string; pid?: number };
    return health.pid === info.pid && health.projectDir === info.projectDir ? info : undefined;
  } catch {
    return undefined;
  }
}
