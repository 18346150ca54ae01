import { describe, expect, it } from "vitest";
import { buildCustomerQuery, parseTags } from "~/services/customers/customerSearch";

describe("buildCustomerQuery", () => {
  it("is empty when nothing narrows the audience", () => {
    expect(buildCustomerQuery({ states: [], tags: [], query: "  " })).toBe("");
  });

  it("combines one state, tags and terms with AND", () => {
    expect(
      buildCustomerQuery({ states: ["DISABLED"], tags: ["vip", "big spender"], query: "country:CA" }),
    ).toBe('state:disabled tag:vip tag:"big spender" country:CA');
  });

  it("groups several states in parentheses, so the tags apply to every one of them", () => {
    expect(buildCustomerQuery({ states: ["DISABLED", "INVITED"], tags: ["vip"], query: "" })).toBe(
      "(state:disabled OR state:invited) tag:vip",
    );
  });

  it("keeps a search with OR meaning the same for every state chosen", () => {
    expect(
      buildCustomerQuery({ states: ["DISABLED", "DECLINED"], tags: [], query: "country:CA OR country:US" }),
    ).toBe("(state:disabled OR state:declined) (country:CA OR country:US)");
    expect(buildCustomerQuery({ states: ["DISABLED"], tags: [], query: "(tag:a OR tag:b)" })).toBe(
      "state:disabled (tag:a OR tag:b)",
    );
    expect(buildCustomerQuery({ states: ["DISABLED"], tags: [], query: "(tag:a) OR (tag:b)" })).toBe(
      "state:disabled ((tag:a) OR (tag:b))",
    );
  });

  it("treats every state chosen as no state filter", () => {
    expect(
      buildCustomerQuery({
        states: ["DISABLED", "INVITED", "ENABLED", "DECLINED"],
        tags: ["vip"],
        query: "",
      }),
    ).toBe("tag:vip");
  });
});

describe("parseTags", () => {
  it("splits on commas, trims and drops duplicates", () => {
    expect(parseTags(" vip, wholesale ,,vip")).toEqual(["vip", "wholesale"]);
  });
});
