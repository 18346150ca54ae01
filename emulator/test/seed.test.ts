import { describe, expect, it } from "vitest";
import { firstCustomerId, seedCustomers } from "../src/seed";

describe("seeded customers", () => {
  it("are identical for the same seed and differ for another", () => {
    const a = seedCustomers({ count: 500, seed: 42, firstId: 1 });
    const b = seedCustomers({ count: 500, seed: 42, firstId: 1 });
    const c = seedCustomers({ count: 500, seed: 43, firstId: 1 });
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it("mix states roughly 55/20/20/5, give ~3% no email, and only enabled customers with an email", () => {
    const customers = seedCustomers({ count: 20_000, seed: 1, firstId: 1 });
    const share = (predicate: (c: (typeof customers)[number]) => boolean) =>
      customers.filter(predicate).length / customers.length;
    expect(share((c) => c.state === "DISABLED")).toBeGreaterThan(0.52);
    expect(share((c) => c.state === "DISABLED")).toBeLessThan(0.6);
    expect(share((c) => c.state === "INVITED")).toBeCloseTo(0.2 * 0.97, 1);
    expect(share((c) => c.state === "ENABLED")).toBeCloseTo(0.2 * 0.97, 1);
    expect(share((c) => c.state === "DECLINED")).toBeCloseTo(0.05, 1);
    expect(share((c) => c.email === null)).toBeCloseTo(0.03, 1);
    expect(customers.filter((c) => c.email === null).every((c) => c.state === "DISABLED")).toBe(true);
    expect(new Set(customers.map((c) => c.email).filter(Boolean)).size).toBe(
      customers.filter((c) => c.email).length,
    );
    for (const tag of ["vip", "wholesale", "imported", "newsletter"])
      expect(share((c) => c.tags.includes(tag))).toBeGreaterThan(0.05);
  });

  it("seeds 100,000 customers with consecutive ids", () => {
    const customers = seedCustomers({
      count: 100_000,
      seed: 9,
      firstId: firstCustomerId("big.myshopify.com"),
    });
    expect(customers).toHaveLength(100_000);
    expect(customers[1]!.id - customers[0]!.id).toBe(1);
  });
});
