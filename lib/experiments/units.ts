/**
 * Every unit of the results store, for `deno task experiments`: the paper study's units (notebooks 02
 * and 03). With `EQUILAB_QUICK=1` the quick (CI) settings' units, stored under `out/quick/results`.
 */
import type { UnitDefinition, UnitRegistry } from "../store/mod.ts";
import { gitCommit } from "./_private.ts";
import { paperBackend, paperUnits } from "./paper_units.ts";

/** True when `EQUILAB_QUICK=1`. */
export function quickUnits(): boolean {
  return Deno.env.get("EQUILAB_QUICK") === "1";
}

/**
 * The registry the runner loads.
 *
 * @example
 * ```ts ignore
 * import { unitRegistry } from "./units.ts";
 * const ids = (await unitRegistry.definitions()).map((unit) => unit.id);
 * ```
 */
export const unitRegistry: UnitRegistry = {
  async definitions(): Promise<UnitDefinition[]> {
    return [...await paperUnits({ quick: quickUnits() })] as UnitDefinition[];
  },
  backend: paperBackend,
  git: gitCommit,
};
