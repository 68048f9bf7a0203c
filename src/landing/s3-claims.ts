import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AlreadyExistsError } from './errors.ts';
import { CLAIMS_PREFIX, compactLoadTs } from './keys.ts';

/**
 * Write-once between processes on an S3 server that ignores `If-None-Match: *` (s3rver, old MinIO),
 * where a HEAD check before the PUT races: two writers both see "absent" and the later PUT silently
 * replaces the earlier body, leaving one writer's sidecar beside the other's body.
 *
 * The protocol needs only what every S3 server gives — PUT, DELETE and a LIST that sees every PUT and
 * DELETE that finished before it (strong read-after-write and list consistency: AWS S3 since 2020,
 * MinIO, s3rver) — and no clocks:
 *
 * 1. `taken()` (HEAD of the body and the sidecar): AlreadyExists if either is there.
 * 2. PUT a claim with a unique name, `_claims/<key>/<compact ts>_<random>`.
 * 3. LIST `_claims/<key>/`. A writer wins only when the listing shows its own claim and no other.
 *    The oldest claimant (first in name order) waits and lists again, so the others can retreat;
 *    every other claimant retreats at once: it deletes its claim, backs off, and starts over at 1.
 * 4. The winner checks `taken()` again (another writer may have committed and released its claim
 *    between steps 1 and 2), writes body and sidecar, and deletes its claim last.
 *
 * Why two writers cannot both win: say A's winning LIST came before B's. A's claim was PUT before
 * that LIST and stays until A has committed. If B's LIST came before A deleted its claim, B saw it
 * and did not win; if after, A's sidecar was written before B's step-4 check, which then finds it.
 *
 * A writer killed while it holds a claim leaves it behind: that key stays blocked (AlreadyExists after
 * a few seconds of backing off; `landPayload` then takes the next millisecond's key) until
 * `vaultline landing repair` moves the stale claim away.
 */
export interface ClaimOps {
  location: string;
  /** Unconditional PUT of an empty object. */
  put(key: string): Promise<void>;
  /** Keys directly under `prefix`, in any order. */
  list(prefix: string): Promise<string[]>;
  delete(key: string): Promise<void>;
}

/** How a claimant paces itself; tests may shorten it. */
export const CLAIM_TIMING = { attempts: 8, looks: 5, lookMs: 20, backoffMs: 60 };

export async function withClaim<T>(
  ops: ClaimOps,
  key: string,
  taken: () => Promise<boolean>,
  work: () => Promise<T>,
): Promise<T> {
  const folder = `${claimFolder(key)}`;
  let blocker: string | undefined;
  for (let attempt = 0; attempt < CLAIM_TIMING.attempts; attempt++) {
    if (await taken()) throw new AlreadyExistsError(key, ops.location);
    const claim = `${folder}${compactLoadTs(new Date())}_${randomBytes(6).toString('hex')}`;
    await ops.put(claim);
    try {
      for (let look = 0; look < CLAIM_TIMING.looks; look++) {
        const claims = (await ops.list(folder)).sort();
        if (claims.length === 1 && claims[0] === claim) {
          if (await taken()) throw new AlreadyExistsError(key, ops.location);
          return await work();
        }
        blocker = claims.find((c) => c !== claim);
        if (claims[0] !== claim) break; // an older claim: let its writer go first
        await sleep(CLAIM_TIMING.lookMs * 2 ** look);
      }
    } finally {
      await ops.delete(claim);
    }
    await sleep(CLAIM_TIMING.backoffMs * (1 + attempt) * Math.random());
  }
  throw new AlreadyExistsError(
    key,
    ops.location,
    `another writer holds the claim ${blocker ?? '(gone)'}; if no writer is running, \`vaultline landing repair\` moves stale claims away`,
  );
}

/** `_claims/<key>/`: the claims of one key, listed with one LIST. */
export function claimFolder(key: string): string {
  return `${CLAIMS_PREFIX}${key}/`;
}
