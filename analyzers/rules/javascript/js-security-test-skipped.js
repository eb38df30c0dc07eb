const request = require("supertest");
const app = require("../app");

describe("admin API", () => {
  // ruleid: js-security-test-skipped
  it.skip("rejects requests without a valid JWT", async () => {
    await request(app).get("/admin").expect(401);
  });

  // ruleid: js-security-test-skipped
  xit("returns 403 for non-admin users", async () => {
    await request(app).get("/admin").set("Authorization", "Bearer user").expect(403);
  });

  // ok: js-security-test-skipped
  it("rejects requests without a valid JWT", async () => {
    await request(app).get("/admin").expect(401);
  });

  // ok: js-security-test-skipped
  it.skip("renders the dashboard chart", async () => {
    await request(app).get("/chart").expect(200);
  });
});

// ruleid: js-security-test-skipped
describe.skip("CSRF protection", () => {
  test("POST without token is refused", () => {});
});
