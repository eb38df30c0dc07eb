const assert = require("node:assert");
const { test } = require("node:test");

describe("permissions", () => {
  it("denies deleting another user's post", async () => {
    const res = await api.delete("/posts/2").set("Authorization", "Bearer alice");
    // ruleid: js-vacuous-test
    expect(true).toBe(true);
  });

  it("hashes passwords", () => {
    // ruleid: js-vacuous-test
    expect(1).toEqual(1);
  });

  it("denies deleting another user's post (real)", async () => {
    const res = await api.delete("/posts/2").set("Authorization", "Bearer alice");
    // ok: js-vacuous-test
    expect(res.status).toBe(403);
  });
});

test("token expiry", () => {
  // ruleid: js-vacuous-test
  assert.ok(true);
  const token = issue({ exp: 0 });
  // ok: js-vacuous-test
  assert.strictEqual(verify(token), false);
  // ok: js-vacuous-test
  assert.equal(token.kind, token.kind.trim());
});

// ok: js-vacuous-test
const sanity = () => expect(true).toBe(true);
