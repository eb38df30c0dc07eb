describe("login", () => {
  // ruleid: js-test-focused
  it.only("accepts the right password", async () => {
    expect(await login("alice", "right")).toBe(true);
  });

  it("rejects a wrong password", async () => {
    expect(await login("alice", "wrong")).toBe(false);
  });
});

// ruleid: js-test-focused
describe.only("reports", () => {
  // ok: js-test-focused
  test("renders totals", () => {
    expect(render([1, 2])).toContain("3");
  });
});

// ok: js-test-focused
const only = filters.only("admins");
// ok: js-test-focused
it("uses options.only", () => expect(parse({ only: true }).only).toBe(true));
