import assert from "node:assert/strict";
import {
  busyCores,
  loadWarning,
  median,
  parseCpuTimes,
  parseLoadAverage,
  speedRatio,
  summariseTimings,
} from "./summary.ts";

Deno.test("median: odd and even counts, order-independent, input untouched", () => {
  const values = [5, 1, 3];
  assert.equal(median(values), 3);
  assert.deepEqual(values, [5, 1, 3]);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.equal(median([7]), 7);
});

Deno.test("median: empty or non-finite samples are errors, not figures", () => {
  assert.throws(() => median([]), /no samples/);
  assert.throws(() => median([1, NaN]), /not a finite number/);
  assert.throws(() => median([1, Infinity]), /not a finite number/);
});

Deno.test("summariseTimings: median, min, max and a copy of the samples", () => {
  const samples = [0.5, 0.4, 0.9, 0.6];
  const summary = summariseTimings(samples);
  assert.deepEqual(summary, { median: 0.55, min: 0.4, max: 0.9, samples: [0.5, 0.4, 0.9, 0.6] });
  samples[0] = 99;
  assert.equal(summary.samples[0], 0.5);
  assert.throws(() => summariseTimings([0.1, -0.2]), /negative time/);
});

Deno.test("speedRatio: ours / PyTorch; a non-positive reference is an error", () => {
  assert.equal(speedRatio(3, 1.5), 2);
  assert.equal(speedRatio(0.5, 2), 0.25);
  assert.throws(() => speedRatio(1, 0), /cannot divide/);
  assert.throws(() => speedRatio(NaN, 1), /cannot divide/);
});

Deno.test("parseLoadAverage: reads /proc/loadavg's three averages, rejects anything else", () => {
  assert.deepEqual(parseLoadAverage("0.52 0.61 0.70 1/123 4567\n"), {
    oneMinute: 0.52,
    fiveMinutes: 0.61,
    fifteenMinutes: 0.7,
  });
  assert.throws(() => parseLoadAverage("0.5 0.6"), /expected three load averages, got "0.5 0.6"/);
  assert.throws(() => parseLoadAverage("a b c 1/2 3"), /expected three/);
});

Deno.test("loadWarning: only above the threshold, naming the load and where", () => {
  const load = (oneMinute: number) => ({ oneMinute, fiveMinutes: 0, fifteenMinutes: 0 });
  assert.equal(loadWarning(load(1.5), "before lstm-h2"), null);
  assert.match(
    loadWarning(load(2.25), "before lstm-h2")!,
    /load average 2\.25 before lstm-h2 \(above 1\.5\)/,
  );
  assert.equal(loadWarning(load(0.9), "x", 0.5)?.includes("above 0.5"), true);
});

Deno.test("parseCpuTimes: busy = all ticks but idle and iowait, from the aggregate cpu line", () => {
  const stat = "cpu  555649 29388 76797 335784 5999 0 649 862 0 0\ncpu0 1 2 3 4 5 6 7 8 0 0\nintr 1 2\n";
  assert.deepEqual(parseCpuTimes(stat), {
    busy: 555649 + 29388 + 76797 + 649 + 862,
    total: 555649 + 29388 + 76797 + 335784 + 5999 + 649 + 862,
  });
  assert.throws(() => parseCpuTimes("cpu0 1 2 3 4 5\n"), /no aggregate cpu line/);
  assert.throws(() => parseCpuTimes("cpu  1 x 3 4 5"), /no aggregate cpu line/);
});

Deno.test("busyCores: busy share of the interval times the cores; no interval is no load", () => {
  assert.equal(busyCores({ busy: 100, total: 1000 }, { busy: 150, total: 1100 }, 2), 1);
  assert.equal(busyCores({ busy: 100, total: 1000 }, { busy: 100, total: 1200 }, 2), 0);
  assert.equal(busyCores({ busy: 100, total: 1000 }, { busy: 100, total: 1000 }, 2), 0);
});
