// FileResult ⇄ structured-clone form (DataError instances become plain records). Private to lib/data.
import { DataError } from "./errors.ts";
import type { FileResult } from "./_read.ts";

/** A FileResult with errors as plain records. */
export type WireResult = Omit<FileResult, "errors"> & {
  errors: { file: string; row: number | null; column: string | null; value: string | null; reason: string }[];
};

/** Converts for postMessage; the typed arrays are listed for transfer. */
export function toWire(result: FileResult): { wire: WireResult; transfer: ArrayBuffer[] } {
  const transfer: ArrayBuffer[] = [];
  if (result.data) {
    const { open, high, low, close, volume, optional } = result.data;
    for (const column of [open, high, low, close, volume, ...Object.values(optional)]) {
      if (column && column.byteOffset === 0 && column.buffer.byteLength === column.byteLength) {
        transfer.push(column.buffer as ArrayBuffer);
      }
    }
  }
  const errors = result.errors.map((error) => ({
    file: error.file,
    row: error.row,
    column: error.column,
    value: error.value,
    reason: error.reason,
  }));
  return { wire: { ...result, errors }, transfer };
}

/** Rebuilds DataError instances. */
export function fromWire(wire: WireResult): FileResult {
  return {
    ...wire,
    errors: wire.errors.map((error) => new DataError({ ...error, message: error.reason })),
  };
}
