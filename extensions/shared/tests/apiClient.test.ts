import { afterEach, describe, expect, it, vi } from "vitest";
import { api } from "../src/apiClient";

const history = { customer: { id: "gid://shopify/Customer/1", state: "DISABLED" }, events: [] };

function answer(status: number, body: unknown = null) {
  return new Response(body === null ? null : JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("the API client", () => {
  it("retries once after a 401, as the app re-exchanges a revoked token on the first refusal", async () => {
    const fetchMock = vi.fn().mockResolvedValueOnce(answer(401)).mockResolvedValueOnce(answer(200, history));
    vi.stubGlobal("fetch", fetchMock);
    const result = await api.getCustomerHistory("gid://shopify/Customer/1");
    expect(result).toEqual({ ok: true, status: 200, data: history });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("reports an expired session when the retry is refused too, without trying a third time", async () => {
    const fetchMock = vi.fn().mockResolvedValue(answer(401));
    vi.stubGlobal("fetch", fetchMock);
    const result = await api.getCustomerHistory("gid://shopify/Customer/1");
    expect(result).toEqual({ ok: false, error: { kind: "unauthorized", status: 401, message: null } });
    expect(fetchMock).toHaveBeenCalledTimes(2);
  });

  it("does not retry other failures", async () => {
    const fetchMock = vi.fn().mockResolvedValue(answer(503, { error: "Shopify did not answer; try again." }));
    vi.stubGlobal("fetch", fetchMock);
    const result = await api.sendInvite("gid://shopify/Customer/1", undefined, "dialog-key");
    expect(result).toMatchObject({ ok: false, error: { kind: "server", status: 503 } });
    expect(fetchMock).toHaveBeenCalledTimes(1);
  });
});
