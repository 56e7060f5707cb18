/**
 * Claims: a runner takes a unit by creating its claim file atomically (exclusive create), renews the
 * lease while it runs, and removes the file when done. A claim whose lease expired (its runner was
 * killed, or its machine died) is abandoned: another runner takes it over and resumes the unit from
 * its checkpoint. Works on any shared folder where exclusive create and rename are atomic (local
 * disks, NFSv3+).
 */
import { dirname } from "node:path";

/** Content of a claim file. The lease ends `leaseSeconds` after the file's modification time. */
export interface ClaimRecord {
  /** Unique per claim: who holds the file now. */
  token: string;
  /** Free text naming the runner (host, pid). */
  owner: string;
  /** Host name of the runner. */
  host?: string;
  /** Process id of the runner (on `host`). */
  pid?: number;
  /** Lease length in seconds, renewed by touching the file. */
  leaseSeconds: number;
  /** ISO time of the claim. */
  claimedAt: string;
}

/** Options of {@link tryClaim}. */
export interface ClaimArgs {
  /** Seconds a claim stays valid without renewal. Default 120. */
  leaseSeconds?: number;
  /** Names the runner in the file. Default `<hostname> pid <pid>`. */
  owner?: string;
}

/** A claim this process holds. */
export class Claim {
  #lost = false;
  #timer: ReturnType<typeof setInterval> | undefined;

  /** @internal use {@link tryClaim}. */
  constructor(readonly path: string, readonly record: ClaimRecord) {}

  /** True once the file holds another runner's claim (or none): stop working on the unit. */
  get lost(): boolean {
    return this.#lost;
  }

  /** Extends the lease by touching the file; false (and {@link lost}) when the claim is no longer ours. */
  async renew(): Promise<boolean> {
    if (this.#lost) return false;
    const current = await readClaim(this.path);
    if (current?.token !== this.record.token) {
      this.#lost = true;
      return false;
    }
    const now = new Date();
    await Deno.utime(this.path, now, now);
    return true;
  }

  /** Renews every `leaseSeconds / 4` until {@link release}; `onLost` is called once if the claim is lost. */
  keepAlive(onLost: () => void = () => {}): void {
    this.#timer ??= setInterval(async () => {
      try {
        if (!(await this.renew())) {
          clearInterval(this.#timer);
          onLost();
        }
      } catch {
        // A transient file-system error: the next tick tries again; the lease is 4 ticks long.
      }
    }, Math.max(50, (this.record.leaseSeconds * 1000) / 4));
  }

  /** Stops renewing and removes the file if it is still ours. */
  async release(): Promise<void> {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#lost) return;
    const current = await readClaim(this.path);
    if (current?.token === this.record.token) await Deno.remove(this.path).catch(() => {});
  }
}

/** Reads a claim file; undefined when it does not exist or is unreadable (being written). */
export async function readClaim(path: string): Promise<ClaimRecord | undefined> {
  try {
    return JSON.parse(await Deno.readTextFile(path)) as ClaimRecord;
  } catch {
    return undefined;
  }
}

/**
 * When a claim file's lease ends (ms since the epoch); undefined when there is no claim.
 * An unreadable file counts as claimed for the default lease from its modification time.
 */
export async function claimExpiry(path: string): Promise<number | undefined> {
  let info: Deno.FileInfo;
  try {
    info = await Deno.stat(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
  const record = await readClaim(path);
  const lease = record?.leaseSeconds ?? 120;
  return (info.mtime?.getTime() ?? 0) + lease * 1000;
}

async function createExclusive(path: string, record: ClaimRecord): Promise<boolean> {
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { write: true, createNew: true });
  } catch (error) {
    if (error instanceof Deno.errors.AlreadyExists) return false;
    throw error;
  }
  try {
    await file.write(new TextEncoder().encode(JSON.stringify(record)));
  } finally {
    file.close();
  }
  return true;
}

/** Seconds after which a take-over lock left by a runner that died while taking over is cleared. */
const TAKEOVER_LOCK_SECONDS = 30;

/**
 * Claims `path` for this process: exclusive create, or take-over of an abandoned claim (its lease
 * expired, or its runner ran on this host and is gone). Undefined when another runner holds a live claim.
 *
 * Take-over is serialised by a lock file beside the claim (`<path>.takeover`, exclusive create): only
 * the runner holding it may remove an abandoned claim, after reading it again under the lock, and then
 * competes like anyone else to create the claim anew (exclusive create: one winner). Runners that do not
 * get the lock back off. A lock left behind by a runner that died while taking over is cleared after
 * {@link TAKEOVER_LOCK_SECONDS}.
 *
 * @example
 * ```ts
 * import { tryClaim } from "./claim.ts";
 * const folder = await Deno.makeTempDir();
 * const claim = await tryClaim(`${folder}/unit.claim`, { leaseSeconds: 60 });
 * await claim?.release();
 * ```
 */
export async function tryClaim(path: string, args: ClaimArgs = {}): Promise<Claim | undefined> {
  const record: ClaimRecord = {
    token: crypto.randomUUID(),
    owner: args.owner ?? `${Deno.hostname()} pid ${Deno.pid}`,
    host: Deno.hostname(),
    pid: Deno.pid,
    leaseSeconds: args.leaseSeconds ?? 120,
    claimedAt: new Date().toISOString(),
  };
  await Deno.mkdir(dirname(path), { recursive: true });
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await createExclusive(path, record)) return new Claim(path, record);
    const holder = await readClaim(path);
    const expiry = await claimExpiry(path);
    if (expiry === undefined) continue; // released meanwhile: try to create it again
    if (!holder) return undefined; // being written: a live claim
    if (expiry > Date.now() && !(await holderIsDead(holder))) return undefined;
    // Abandoned: take it over under the lock, or leave it to whoever holds the lock.
    const lock = `${path}.takeover`;
    if (!(await createLock(lock))) return undefined;
    try {
      // Under the lock, the same abandoned claim must still be there.
      const again = await readClaim(path);
      const stillExpired = await claimExpiry(path);
      if (again?.token !== holder.token || stillExpired === undefined) continue;
      if (stillExpired > Date.now() && !(await holderIsDead(again))) return undefined;
      await Deno.remove(path).catch((error) => {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      });
    } finally {
      await Deno.remove(lock).catch(() => {});
    }
    return (await createExclusive(path, record)) ? new Claim(path, record) : undefined;
  }
  return undefined;
}

/** Takes the take-over lock (exclusive create); clears one left behind longer than the lock's time. */
async function createLock(lock: string): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      (await Deno.open(lock, { write: true, createNew: true })).close();
      return true;
    } catch (error) {
      if (!(error instanceof Deno.errors.AlreadyExists)) throw error;
    }
    const info = await Deno.stat(lock).catch(() => undefined);
    if (info === undefined) continue; // released meanwhile
    if (Date.now() - (info.mtime?.getTime() ?? 0) < TAKEOVER_LOCK_SECONDS * 1000) return false;
    await Deno.remove(lock).catch(() => {});
  }
  return false;
}

/**
 * True when the claim was made on this host by a process that no longer exists (a runner killed
 * here): its claim need not wait for the lease to run out. Checked through /proc (Linux); elsewhere
 * the lease decides.
 */
async function holderIsDead(holder: ClaimRecord): Promise<boolean> {
  if (holder.host !== Deno.hostname() || holder.pid === undefined || Deno.build.os !== "linux") return false;
  if (holder.pid === Deno.pid) return false;
  try {
    await Deno.stat(`/proc/${holder.pid}`);
    return false;
  } catch (error) {
    return error instanceof Deno.errors.NotFound;
  }
}
