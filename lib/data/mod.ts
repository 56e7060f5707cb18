/**
 * Market data: the data-set registry and verified downloads, loaders and validation.
 *
 * @example
 * ```ts ignore
 * import { resolveDataset } from "./mod.ts";
 * const { files } = await resolveDataset("equinet-319");
 * ```
 * @module
 */
export * from "./download.ts";
export * from "./registry.ts";
export * from "./universe_summary.ts";
