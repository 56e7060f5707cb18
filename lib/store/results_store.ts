/**
 * The results store: one small JSON record per finished unit under `<root>/<study>/<experiment>/<name>.json`
 * (committed to git for full settings), written atomically; claims under `<root>/.claims/` (ignored).
 */
import { join } from "node:path";
import { writeFileAtomic } from "../io/mod.ts";
import { unitFingerprint } from "./fingerprint.ts";
import { checkUnitId, type StoredUnit, type UnitDefinition, type UnitState } from "./unit.ts";

/** A unit's state in the store, with its stored record when there is one. */
export interface UnitStatus {
  /** The unit's definition. */
  definition: UnitDefinition;
  /** done: stored under the current fingerprint; stale: stored under another; missing: not stored. */
  state: UnitState;
  /** Its current fingerprint (undefined while a dependency is not done). */
  fingerprint?: string;
  /** The stored record (done or stale). */
  stored?: StoredUnit;
  /** Dependencies not done yet (the unit cannot run before them). */
  waitingFor: string[];
}

/**
 * A folder of unit records.
 *
 * @example
 * ```ts
 * import { ResultsStore } from "./results_store.ts";
 * const store = new ResultsStore(await Deno.makeTempDir());
 * await store.read("paper/tables/data1-e10-fb1-u2-hiddenSize/seed-1"); // undefined: nothing stored yet
 * ```
 */
export class ResultsStore {
  /** @param root The store's folder (`out/results` at full settings). */
  constructor(readonly root: string) {}

  /** Where a unit's record lives. */
  pathOf(id: string): string {
    checkUnitId(id);
    return join(this.root, `${id}.json`);
  }

  /** Where a unit's claim file lives. */
  claimPathOf(id: string): string {
    checkUnitId(id);
    return join(this.root, ".claims", `${id}.claim`);
  }

  /** The stored record of a unit, or undefined. A record that does not parse is an error naming the file. */
  async read<Result = unknown>(id: string): Promise<StoredUnit<Result> | undefined> {
    const path = this.pathOf(id);
    let text: string;
    try {
      text = await Deno.readTextFile(path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return undefined;
      throw error;
    }
    let record: StoredUnit<Result>;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw new SyntaxError(`results store: ${path} is not valid JSON (${(error as Error).message})`);
    }
    if (record?.format !== 1 || record.id !== id || typeof record.fingerprint !== "string") {
      throw new TypeError(`results store: ${path} is not the record of unit ${id} (format 1)`);
    }
    return record;
  }

  /** Writes a record atomically (temporary file, then rename): a kill never leaves half a file. */
  async write(record: StoredUnit): Promise<string> {
    const path = this.pathOf(record.id);
    await writeFileAtomic(path, formatRecord(record));
    return path;
  }

  /**
   * The state of each unit, in the given order; dependencies are looked up among `definitions` and the
   * store (a dependency must be done for its dependant to have a fingerprint).
   */
  async status(definitions: readonly UnitDefinition[]): Promise<UnitStatus[]> {
    const byId = new Map(definitions.map((definition) => [definition.id, definition]));
    const memo = new Map<string, Promise<UnitStatus>>();
    const statusOf = (definition: UnitDefinition): Promise<UnitStatus> => {
      let pending = memo.get(definition.id);
      if (!pending) {
        pending = this.#statusOf(definition, byId, statusOf);
        memo.set(definition.id, pending);
      }
      return pending;
    };
    return await Promise.all(definitions.map(statusOf));
  }

  async #statusOf(
    definition: UnitDefinition,
    byId: Map<string, UnitDefinition>,
    statusOf: (definition: UnitDefinition) => Promise<UnitStatus>,
  ): Promise<UnitStatus> {
    const dependencies: Record<string, string> = {};
    const waitingFor: string[] = [];
    for (const id of definition.dependencies ?? []) {
      const dependency = byId.get(id);
      if (!dependency) throw new Error(`unit ${definition.id} depends on ${id}, which is not defined`);
      const status = await statusOf(dependency);
      if (status.state === "done") dependencies[id] = status.fingerprint!;
      else waitingFor.push(id);
    }
    const stored = await this.read(definition.id);
    if (waitingFor.length > 0) {
      return { definition, state: stored ? "stale" : "missing", stored, waitingFor };
    }
    const fingerprint = await unitFingerprint({
      settings: definition.settings,
      dataFiles: Object.fromEntries(definition.data.map((file) => [file.path, file.sha256])),
      numericsVersion: definition.numericsVersion,
      dependencies,
    });
    const state = stored === undefined ? "missing" : stored.fingerprint === fingerprint ? "done" : "stale";
    return { definition, state, fingerprint, stored, waitingFor };
  }

  /** Ids of every record in the store (sorted), to find records no definition produces any more. */
  async storedIds(): Promise<string[]> {
    const ids: string[] = [];
    const walk = async (folder: string, prefix: string) => {
      let entries: Deno.DirEntry[];
      try {
        entries = [...Deno.readDirSync(folder)];
      } catch (error) {
        if (error instanceof Deno.errors.NotFound) return;
        throw error;
      }
      for (const entry of entries) {
        if (entry.name.startsWith(".")) continue;
        if (entry.isDirectory) await walk(join(folder, entry.name), `${prefix}${entry.name}/`);
        else if (entry.isFile && entry.name.endsWith(".json")) {
          ids.push(`${prefix}${entry.name.slice(0, -".json".length)}`);
        }
      }
    };
    await walk(this.root, "");
    return ids.sort();
  }
}

/**
 * A record as JSON text: indented one space per level, with arrays of numbers on one line (loss
 * histories and predictions stay short to read and to diff). Non-finite numbers become null.
 *
 * @example
 * ```ts
 * import { formatRecord } from "./results_store.ts";
 * formatRecord({ loss: [0.5, 0.25] }); // '{\n "loss": [0.5,0.25]\n}\n'
 * ```
 */
export function formatRecord(value: unknown): string {
  const text = JSON.stringify(value, finiteOrNull, 1);
  return text.replace(
    /\[\s*((?:-?[0-9.eE+-]+|null)(?:\s*,\s*(?:-?[0-9.eE+-]+|null))*)\s*\]/g,
    (_match, inner: string) => `[${inner.replace(/\s+/g, "")}]`,
  ) + "\n";
}

function finiteOrNull(_key: string, value: unknown): unknown {
  if (typeof value === "number" && !Number.isFinite(value)) return null;
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  return value;
}
