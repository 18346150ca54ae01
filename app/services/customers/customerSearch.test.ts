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

  it("repeats the tags in one clause per state, joined by OR", () => {
    expect(buildCustomerQuery({ states: ["DISABLED", "INVITED"], tags: ["vip"], query: "" })).toBe(
      "state:disabled tag:vip OR state:invited tag:vip",
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
