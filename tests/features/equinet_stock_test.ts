import assert from "node:assert/strict";
import { equiNetStock, EquiNetWindows } from "../../lib/features/mod.ts";

const column = (length: number, value: (row: number) => number) =>
  Float64Array.from({ length }, (_, row) => value(row));

Deno.test("equiNetStock maps loaded bars to the sampler's columns; a missing market column is an error", () => {
  const rows = 70;
  const dates = Array.from(
    { length: rows },
    (_, row) => new Date(Date.UTC(2024, 0, 1 + row)).toISOString().slice(0, 10),
  );
  const close = column(rows, (row) => 10 + row * 0.01);
  const data = {
    dates,
    open: close,
    high: column(rows, (row) => 10.1 + row * 0.01),
    low: column(rows, (row) => 9.9 + row * 0.01),
    close,
    volume: column(rows, () => 1000),
    optional: {
      marketvolume: column(rows, () => 5e8),
      marketlimit: column(rows, () => 0.001),
      marketrange: column(rows, () => 30),
    },
  };
  const stock = equiNetStock(data, "000008");
  assert.equal(stock.end, close);
  assert.equal(stock.max[3], data.high[3]);
  assert.equal(stock.marketrange[0], 30);
  const windows = new EquiNetWindows([stock], { contextDays: 20 });
  assert.ok(windows.allWindows("train").length > 0);
  assert.throws(
    () => equiNetStock({ ...data, optional: {} }, "000010"),
    /stock 000010: no marketvolume column/,
  );
});
