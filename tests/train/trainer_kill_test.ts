import assert from "node:assert/strict";

const child = new URL("./_resume_child.ts", import.meta.url).pathname;

async function runToEnd(
  folder: string,
): Promise<{ weights: unknown; history: unknown; resumedFromEpoch: number }> {
  const output = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", child, folder],
    stderr: "inherit",
  })
    .output();
  assert.equal(output.code, 0);
  const line = new TextDecoder().decode(output.stdout).split("\n").find((text) => text.startsWith("RESULT "));
  assert.ok(line, "child printed no RESULT");
  return JSON.parse(line.slice("RESULT ".length));
}

Deno.test("resume after SIGKILL: a killed training process, restarted, ends identical to an uninterrupted one", async () => {
  const root = await Deno.makeTempDir();
  try {
    const straight = await runToEnd(`${root}/straight`);
    assert.equal(straight.resumedFromEpoch, 0);
    const process = new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", child, `${root}/killed`],
      stdout: "piped",
      stderr: "inherit",
    }).spawn();
    let seen = "";
    const reader = process.stdout.pipeThrough(new TextDecoderStream()).getReader();
    while (!seen.includes("epoch 2\n")) {
      const { value, done } = await reader.read();
      if (done) break;
      seen += value;
    }
    process.kill("SIGKILL");
    await reader.cancel().catch(() => {});
    const status = await process.status;
    assert.equal(status.success, false, "the child finished before it could be killed");
    assert.ok(!seen.includes("RESULT"));
    const resumed = await runToEnd(`${root}/killed`);
    assert.ok(
      resumed.resumedFromEpoch >= 2 && resumed.resumedFromEpoch < 10,
      `resumed from ${resumed.resumedFromEpoch}`,
    );
    assert.deepEqual(resumed.weights, straight.weights);
    assert.deepEqual(resumed.history, straight.history);
  } finally {
    await Deno.remove(root, { recursive: true });
  }
});
