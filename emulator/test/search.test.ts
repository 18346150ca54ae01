import { describe, expect, it } from "vitest";
import type { Customer } from "../src/model";
import { compileCustomerSearch } from "../src/search";

const base: Customer = {
  id: 1,
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada.lovelace@example.com",
  phone: null,
  state: "DISABLED",
  tags: ["vip", "newsletter"],
  note: null,
  verifiedEmail: true,
  numberOfOrders: 3,
  locale: "en",
  createdAt: Date.UTC(2024, 0, 10),
  updatedAt: Date.UTC(2024, 5, 1),
};
const grace: Customer = {
  ...base,
  id: 2,
  firstName: "Grace",
  lastName: "Hopper",
  email: "grace@example.org",
  state: "ENABLED",
  tags: ["wholesale"],
  createdAt: Date.UTC(2025, 2, 3),
  updatedAt: Date.UTC(2025, 2, 4),
};
const noEmail: Customer = {
  ...base,
  id: 3,
  firstName: "Alan",
  lastName: "Turing",
  email: null,
  state: "INVITED",
  tags: [],
};
const all = [base, grace, noEmail];

const ids = (query: string) =>
  all.filter(compileCustomerSearch(query, Date.UTC(2025, 5, 1)).matches).map((c) => c.id);

describe("customer search syntax", () => {
  it("filters by state, case-insensitively, and by several states", () => {
    expect(ids("state:disabled")).toEqual([1]);
    expect(ids("state:ENABLED")).toEqual([2]);
    expect(ids("state:Invited")).toEqual([3]);
    expect(ids("state:declined")).toEqual([]);
  });

  it("filters by tag, excludes with -tag and tag_not, and ANDs terms", () => {
    expect(ids("tag:vip")).toEqual([1]);
    expect(ids("-tag:vip")).toEqual([2, 3]);
    expect(ids("NOT tag:vip")).toEqual([2, 3]);
    expect(ids("tag_not:vip")).toEqual([2, 3]);
    expect(ids("tag:vip state:enabled")).toEqual([]);
    expect(ids("tag:vip AND state:disabled")).toEqual([1]);
  });

  it("supports OR between terms", () => {
    expect(ids("state:enabled OR state:invited")).toEqual([2, 3]);
  });

  it("matches email exactly or with wildcards, and email:* means having one", () => {
    expect(ids("email:ADA.LOVELACE@example.com")).toEqual([1]);
    expect(ids("email:ada")).toEqual([]);
    expect(ids("email:*@example.org")).toEqual([2]);
    expect(ids("email:ada*")).toEqual([1]);
    expect(ids("email:*")).toEqual([1, 2]);
    expect(ids("-email:*")).toEqual([3]);
  });

  it("matches free text against names and email", () => {
    expect(ids("grace")).toEqual([2]);
    expect(ids("Turing")).toEqual([3]);
    expect(ids("lovelace@")).toEqual([1]);
    expect(ids('"ada lovelace"')).toEqual([1]);
  });

  it("compares dates and ids", () => {
    expect(ids("created_at:>2025-01-01")).toEqual([2]);
    expect(ids("updated_at:<=2024-06-01T00:00:00Z")).toEqual([1, 3]);
    expect(ids("created_at:2025-03-03")).toEqual([2]);
    expect(ids("id:>=2")).toEqual([2, 3]);
    expect(ids("orders_count:>2")).toEqual([1, 2, 3]);
  });

  it("ignores unknown fields and reports them as warnings", () => {
    const compiled = compileCustomerSearch("country:canada state:enabled");
    expect(all.filter(compiled.matches).map((c) => c.id)).toEqual([2]);
    expect(compiled.warnings).toEqual([
      { field: "country", message: "Invalid search field for this query." },
    ]);
    expect(compileCustomerSearch("country:canada").matchesAll).toBe(true);
  });
});
