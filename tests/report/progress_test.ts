import assert from "node:assert/strict";
import { formatMetrics, progress, unitsProgress } from "../../lib/report/mod.ts";

Deno.test("progress text shows the bar, counts and metrics", async () => {
  const bar = progress({ total: 4, label: "epochs", mode: "quiet" });
  await bar.update(2, { loss: 0.123456789, lr: 0.001 });
  assert.match(bar.text(), /^epochs \[#{12}-{12}\] 2\/4 \d+\.\d s · loss 0.1235 · lr 0.001$/);
});

Deno.test("quiet mode writes nothing", async () => {
  const original = Deno.stderr.write;
  let written = 0;
  Deno.stderr.write = (data: Uint8Array) => {
    written += data.length;
    return Promise.resolve(data.length);
  };
  try {
    const bar = progress({ total: 2, mode: "quiet" });
    await bar.update(1);
    await bar.update(2);
    await bar.finish();
  } finally {
    Deno.stderr.write = original;
  }
  assert.equal(written, 0);
});

Deno.test("jupyter mode displays once, then updates the same display in place, throttled", async () => {
  const messages: {
    type: string;
    content: { transient: { display_id: string }; data: Record<string, string> };
  }[] = [];
  const bar = progress({
    total: 100,
    mode: "jupyter",
    minIntervalMs: 60_000,
    broadcast: (type, content) => (messages.push({ type, content: content as never }), Promise.resolve()),
  });
  for (let step = 1; step <= 100; step++) await bar.update(step, { loss: 1 / step });
  assert.equal(messages.length, 2, "first step shown, then throttled until the final step");
  assert.equal(messages[0].type, "display_data");
  assert.equal(messages[1].type, "update_display_data");
  assert.equal(messages[0].content.transient.display_id, messages[1].content.transient.display_id);
  assert.match(messages[1].content.data["text/plain"], /100\/100/);
  assert.match(messages[1].content.data["text/html"], /<progress max="100" value="100">/);
});

Deno.test("progress rejects a non-positive total; formatMetrics keeps 4 significant digits", () => {
  assert.throws(() => progress({ total: 0 }), /total must be > 0/);
  assert.equal(formatMetrics({ loss: 0.000123456, epoch: "3" }), "loss 0.0001235 · epoch 3");
});

Deno.test("unitsProgress: no bar while every unit is stored; then one bar over the units to compute, ids without the prefix", async () => {
  const units = unitsProgress("units", "paper/tables/", { mode: "quiet" });
  await units.finish();
  assert.equal(units.text(), "");
  await units.onUnit(0, 3, "paper/tables/data1-e10-fb1-u2-hiddenSize/seed-1");
  assert.match(units.text(), /^units \[-{24}\] 0\/3 .* · unit data1-e10-fb1-u2-hiddenSize\/seed-1$/);
  await units.onUnit(3, 3, "");
  assert.match(units.text(), /^units \[#{24}\] 3\/3 .* · unit $/);
});
