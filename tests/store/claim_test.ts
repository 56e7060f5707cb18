import assert from "node:assert/strict";
import { claimExpiry, readClaim, tryClaim } from "../../lib/store/mod.ts";

Deno.test("tryClaim: exclusive while held, free again once released", async () => {
  const path = `${await Deno.makeTempDir()}/sub/unit.claim`;
  const first = await tryClaim(path, { leaseSeconds: 60, owner: "first" });
  assert.ok(first);
  assert.equal(await tryClaim(path, { leaseSeconds: 60 }), undefined);
  assert.equal((await readClaim(path))?.owner, "first");
  assert.ok((await claimExpiry(path))! > Date.now() + 50_000);
  await first.release();
  assert.equal(await claimExpiry(path), undefined);
  const second = await tryClaim(path, { leaseSeconds: 60 });
  assert.ok(second);
  await second.release();
});

Deno.test("tryClaim: a claim whose lease expired is taken over, and its old holder sees it lost", async () => {
  const path = `${await Deno.makeTempDir()}/unit.claim`;
  const old = await tryClaim(path, { leaseSeconds: 30, owner: "killed runner" });
  assert.ok(old);
  const past = new Date(Date.now() - 60_000);
  await Deno.utime(path, past, past); // its runner stopped renewing a minute ago
  const taker = await tryClaim(path, { leaseSeconds: 30, owner: "taker" });
  assert.ok(taker, "the expired claim is taken over");
  assert.equal((await readClaim(path))?.owner, "taker");
  assert.equal(await old.renew(), false);
  assert.equal(old.lost, true);
  await old.release(); // must not remove the taker's claim
  assert.equal((await readClaim(path))?.owner, "taker");
  assert.equal(await taker.renew(), true);
  await taker.release();
});

Deno.test("tryClaim: of many simultaneous claims (fresh or take-over), exactly one wins", async () => {
  const folder = await Deno.makeTempDir();
  const fresh = await Promise.all(Array.from({ length: 8 }, () => tryClaim(`${folder}/a.claim`)));
  assert.equal(fresh.filter(Boolean).length, 1);
  // Take-over races, many rounds (one round once let two takers win: a taker moved the winner's fresh
  // claim aside and a third created its own before it was put back).
  for (let round = 0; round < 40; round++) {
    const path = `${folder}/b-${round}.claim`;
    const stale = await tryClaim(path, { leaseSeconds: 1 });
    const past = new Date(Date.now() - 10_000);
    await Deno.utime(path, past, past);
    const takers = await Promise.all(Array.from({ length: 8 }, () => tryClaim(path)));
    const winners = takers.filter((claim) => claim !== undefined);
    assert.equal(winners.length, 1, `round ${round}: ${winners.length} winners`);
    assert.equal((await readClaim(path))?.token, winners[0]!.record.token);
    assert.ok(stale);
    assert.equal(await stale.renew(), false);
    assert.equal(await winners[0]!.renew(), true);
  }
  // A take-over lock left by a runner that died while taking over does not block take-overs for long.
  const path = `${folder}/c.claim`;
  await tryClaim(path, { leaseSeconds: 1 });
  const past = new Date(Date.now() - 10_000);
  await Deno.utime(path, past, past);
  await Deno.writeTextFile(`${path}.takeover`, "");
  assert.equal(await tryClaim(path), undefined, "a fresh take-over lock is respected");
  const old = new Date(Date.now() - 60_000);
  await Deno.utime(`${path}.takeover`, old, old);
  assert.ok(await tryClaim(path), "an old take-over lock is cleared");
});
