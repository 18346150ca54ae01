import { describe, expect, it } from "vitest";
import type { Customer } from "../src/model";
import { schemaMetadata } from "../src/schema";
import { compileCustomerSearch, compileSearch, parseSearch, parsedJson, STAFF_FILTERS } from "../src/search";

const meta = schemaMetadata();
const CUSTOMERS = meta.searchFields.get("QueryRoot.customers")!;
const COUNT = meta.searchFields.get("QueryRoot.customersCount")!;
const STAFF = meta.searchFields.get("QueryRoot.staffMembers")!;

const address = (country: string, countryCode: string, city: string) => ({
  id: 1,
  firstName: null,
  lastName: null,
  company: null,
  address1: "1 Main Street",
  address2: null,
  city,
  province: null,
  provinceCode: null,
  country,
  countryCode,
  zip: "10001",
  phone: null,
});

const base: Customer = {
  id: 1,
  firstName: "Ada",
  lastName: "Lovelace",
  email: "ada.lovelace@example.com",
  phone: "+14155550101",
  state: "DISABLED",
  tags: ["newsletter", "vip"],
  note: null,
  verifiedEmail: true,
  numberOfOrders: 3,
  locale: "en",
  createdAt: Date.UTC(2024, 0, 10),
  updatedAt: Date.UTC(2024, 5, 1, 12),
  acceptsMarketing: true,
  amountSpent: 120.5,
  orderDates: [Date.UTC(2024, 1, 20), Date.UTC(2024, 2, 5)],
  lastAbandonedOrderAt: Date.UTC(2024, 3, 1, 10),
  addresses: [address("Canada", "CA", "Toronto")],
};
const grace: Customer = {
  ...base,
  id: 2,
  firstName: "Grace",
  lastName: "Hopper",
  email: "grace@gmail.com",
  phone: null,
  state: "ENABLED",
  tags: ["Wholesale"],
  numberOfOrders: 0,
  amountSpent: 0,
  orderDates: [],
  lastAbandonedOrderAt: null,
  acceptsMarketing: false,
  createdAt: Date.UTC(2025, 2, 3),
  updatedAt: Date.UTC(2025, 2, 4),
  addresses: [address("Japan", "JP", "Tokyo")],
};
const alan: Customer = {
  ...base,
  id: 3,
  firstName: "José",
  lastName: "Van der Berg",
  email: null,
  phone: null,
  state: "INVITED",
  tags: [],
  numberOfOrders: 12,
  amountSpent: 999.99,
  addresses: [],
};
const all = [base, grace, alan];
const NOW = Date.UTC(2025, 5, 1);

const ids = (query: string, allowed = CUSTOMERS) =>
  all.filter(compileCustomerSearch(query, allowed, NOW).matches).map((c) => c.id);

describe("search filters come from the schema's description of each query argument", () => {
  it("reads customers(query:)'s table, and customersCount's three filters only", () => {
    expect([...CUSTOMERS.keys()].sort()).toEqual(
      [
        "accepts_marketing",
        "country",
        "customer_date",
        "default",
        "email",
        "first_name",
        "id",
        "last_abandoned_order_date",
        "last_name",
        "order_date",
        "orders_count",
        "phone",
        "state",
        "tag",
        "tag_not",
        "total_spent",
        "updated_at",
      ].sort(),
    );
    expect([...COUNT.keys()]).toEqual(["created_at", "id", "updated_at"]);
    expect(CUSTOMERS.get("total_spent")?.type).toBe("float");
    expect(STAFF.get("account_type")?.acceptableValues).toContain("collaborator");
  });

  it("customersCount ignores state (every customer counts) and says so; customers filters it", () => {
    const count = compileCustomerSearch("state:disabled", COUNT, NOW);
    expect(count.matchesAll).toBe(true);
    expect(count.warnings).toEqual([
      { field: "state", message: "Invalid search field for this query.", code: "invalid_field" },
    ]);
    expect(count.parsed).toEqual({ field: "state", match_all: "disabled" });
    expect(ids("state:disabled")).toEqual([1]);
    expect(ids("created_at:>2025-01-01", COUNT)).toEqual([2]);
    // created_at is not a customers(query:) filter (customer_date is): ignored there.
    expect(ids("created_at:>2025-01-01")).toEqual([1, 2, 3]);
    expect(ids("customer_date:>2025-01-01")).toEqual([2]);
  });
});

describe("customer search syntax", () => {
  it("filters by state, case-insensitively; an unknown state is an invalid_value warning", () => {
    expect(ids("state:disabled")).toEqual([1]);
    expect(ids("state:ENABLED")).toEqual([2]);
    expect(ids("state:Invited")).toEqual([3]);
    expect(ids("state:declined")).toEqual([]);
    const bad = compileCustomerSearch("state:asleep tag:vip", CUSTOMERS, NOW);
    expect(all.filter(bad.matches).map((c) => c.id)).toEqual([1]);
    expect(bad.warnings).toEqual([
      { field: "state", message: "Input `asleep` is not an accepted value.", code: "invalid_value" },
    ]);
  });

  it("tags: exact and case-insensitive, several separated by commas, tag_not, -tag", () => {
    expect(ids("tag:vip")).toEqual([1]);
    expect(ids("tag:wholesale")).toEqual([2]);
    expect(ids("tag:'vip,wholesale'")).toEqual([1, 2]);
    expect(ids("tag:news")).toEqual([]);
    expect(ids("tag:news*")).toEqual([1]);
    expect(ids("-tag:vip")).toEqual([2, 3]);
    expect(ids("NOT tag:vip")).toEqual([2, 3]);
    expect(ids("tag_not:vip")).toEqual([2, 3]);
    expect(ids("tag_not:'vip,wholesale'")).toEqual([3]);
  });

  it("AND (implicit or written), OR, parentheses and negated groups", () => {
    expect(ids("tag:vip state:enabled")).toEqual([]);
    expect(ids("tag:vip AND state:disabled")).toEqual([1]);
    expect(ids("state:enabled OR state:invited")).toEqual([2, 3]);
    expect(ids("(tag:vip OR tag:wholesale) state:enabled")).toEqual([2]);
    expect(ids("-(tag:vip OR tag:wholesale)")).toEqual([3]);
    expect(ids("NOT (state:enabled OR state:invited)")).toEqual([1]);
    expect(ids("state:enabled OR (tag:vip orders_count:>2)")).toEqual([1, 2]);
  });

  it("email is tokenized: unquoted tokens all present, quoted = phrase, * = has one", () => {
    expect(ids("email:gmail.com")).toEqual([2]);
    expect(ids('email:"ada.lovelace@example.com"')).toEqual([1]);
    expect(ids("email:ADA.LOVELACE@example.com")).toEqual([1]);
    expect(ids('email:"lovelace.ada@example.com"')).toEqual([]);
    expect(ids("email:ada*")).toEqual([1]);
    expect(ids("email:*")).toEqual([1, 2]);
    expect(ids("-email:*")).toEqual([3]);
  });

  it("default (free-text) terms search names, email, phone and addresses, accents folded", () => {
    expect(ids("grace")).toEqual([2]);
    expect(ids("jose")).toEqual([3]);
    expect(ids("berg")).toEqual([3]);
    expect(ids('"van der berg"')).toEqual([3]);
    expect(ids("lovelace@")).toEqual([1]);
    expect(ids('"ada lovelace"')).toEqual([1]);
    expect(ids("toronto")).toEqual([1]);
    expect(ids("gra*")).toEqual([2]);
    expect(ids("grace - &")).toEqual([2]); // nothing to search for in `-` or `&`
  });

  it("country by name or two-letter code, over the customer's addresses", () => {
    expect(ids("country:Canada")).toEqual([1]);
    expect(ids("country:jp")).toEqual([2]);
    expect(ids('country:"united states"')).toEqual([]);
    expect(ids("-country:CA")).toEqual([2, 3]);
  });

  it("numbers: orders_count and total_spent with comparators and ranges; ids as numbers or GIDs", () => {
    expect(ids("orders_count:3")).toEqual([1]);
    expect(ids("orders_count:>2")).toEqual([1, 3]);
    expect(ids("orders_count:<=3")).toEqual([1, 2]);
    expect(ids("total_spent:>100.50")).toEqual([1, 3]);
    expect(ids("total_spent:>=120.5 total_spent:<500")).toEqual([1]);
    expect(ids("orders_count:1..5")).toEqual([1]);
    expect(ids("id:>=2")).toEqual([2, 3]);
    expect(ids("id:gid://shopify/Customer/2")).toEqual([2]);
    expect(ids("orders_count:many")).toEqual([]);
  });

  it("times: dates, datetimes, years, now, comparators, ranges and quoted values", () => {
    expect(ids("customer_date:>2025-01-01")).toEqual([2]);
    expect(ids("customer_date:'2024-01-10'")).toEqual([1, 3]);
    expect(ids("customer_date:<=2024")).toEqual([1, 3]);
    expect(ids("customer_date: >='2025-01-01'")).toEqual([2]);
    // updated_at matches a whole day, even given an instant.
    expect(ids("updated_at:'2024-06-01T00:00:00Z'")).toEqual([1, 3]);
    expect(ids("updated_at:<now")).toEqual([1, 2, 3]);
    expect(ids("order_date:'2024-02-01..2024-02-28'")).toEqual([1, 3]);
    expect(ids("order_date:>=2024-03-06")).toEqual([]);
    expect(ids("last_abandoned_order_date:>='2024-01-01'")).toEqual([1, 3]);
    expect(ids("-last_abandoned_order_date:>='2024-01-01'")).toEqual([2]);
  });

  it("an unreadable time is refused with Shopify's BAD_REQUEST message", () => {
    expect(compileCustomerSearch("customer_date:>=not-a-date", CUSTOMERS, NOW).error).toBe(
      "Invalid timestamp for query filter `customer_date`.",
    );
    expect(compileCustomerSearch("updated_at:2024-13", COUNT, NOW).error).toBe(
      "Invalid timestamp for query filter `updated_at`.",
    );
  });

  it("phone (digits compared), accepts_marketing (boolean), first/last names", () => {
    expect(ids("phone:+14155550101")).toEqual([1]);
    expect(ids("phone:'+1 (415) 555-0101'")).toEqual([1]);
    expect(ids("phone:*")).toEqual([1]);
    expect(ids("accepts_marketing:true")).toEqual([1, 3]);
    expect(ids("accepts_marketing:false")).toEqual([2]);
    expect(compileCustomerSearch("accepts_marketing:yes", CUSTOMERS, NOW).warnings[0]?.code).toBe(
      "invalid_value",
    );
    expect(ids("first_name:grace")).toEqual([2]);
    expect(ids("last_name:berg")).toEqual([3]);
    expect(ids('last_name:"van der"')).toEqual([3]);
  });

  it("ignores unknown fields as if the term were absent, even inside OR and NOT", () => {
    const compiled = compileCustomerSearch("made_up:value state:enabled", CUSTOMERS, NOW);
    expect(all.filter(compiled.matches).map((c) => c.id)).toEqual([2]);
    expect(compiled.warnings).toEqual([
      { field: "made_up", message: "Invalid search field for this query.", code: "invalid_field" },
    ]);
    expect(compiled.parsed).toEqual({
      and: [
        { field: "made_up", match_all: "value" },
        { field: "state", match_all: "enabled" },
      ],
    });
    expect(ids("state:enabled OR made_up:x")).toEqual([2]);
    expect(ids("-made_up:x")).toEqual([1, 2, 3]);
    expect(compileCustomerSearch("made_up:value", CUSTOMERS, NOW).matchesAll).toBe(true);
    // customersCount documents no default filter: free text is ignored there too.
    expect(compileCustomerSearch("grace", COUNT, NOW).warnings[0]?.field).toBe("default");
  });
});

describe("parsed form", () => {
  it("renders terms, phrases, comparisons, ranges, NOT, AND and OR", () => {
    const parsed = (q: string) => parsedJson(parseSearch(q)!);
    expect(parsed("made_up:value")).toEqual({ field: "made_up", match_all: "value" });
    expect(parsed('staff_member:"Kat Owens"')).toEqual({ field: "staff_member", match_phrase: "Kat Owens" });
    expect(parsed("bob")).toEqual({ field: "default", match_all: "bob" });
    expect(parsed("created_at:>=2024-01-01")).toEqual({ field: "created_at", range_gte: "2024-01-01" });
    expect(parsed("order_date:'2024-01-01..2024-03-31'")).toEqual({
      field: "order_date",
      range_gte: "2024-01-01",
      range_lte: "2024-03-31",
    });
    expect(parsed("-tag:a OR (b c)")).toEqual({
      or: [
        { not: { field: "tag", match_all: "a" } },
        {
          and: [
            { field: "default", match_all: "b" },
            { field: "default", match_all: "c" },
          ],
        },
      ],
    });
  });
});

describe("staff member search", () => {
  const staff = [
    {
      id: 10,
      email: "owner@shop.example.com",
      firstName: "Local",
      lastName: "Owner",
      phone: null,
      locale: "en",
      accountType: "REGULAR" as const,
      active: true,
      isShopOwner: true,
      permissions: null,
    },
    {
      id: 11,
      email: "sam@agency.example.org",
      firstName: "Sam",
      lastName: "Lee",
      phone: null,
      locale: "en",
      accountType: "COLLABORATOR" as const,
      active: true,
      isShopOwner: false,
      permissions: null,
    },
  ];
  const staffIds = (q: string) =>
    staff.filter(compileSearch(q, STAFF_FILTERS, STAFF, NOW).matches).map((m) => m.id);
  it("filters by account_type (its acceptable values), email and names", () => {
    expect(staffIds("account_type:collaborator")).toEqual([11]);
    expect(staffIds("email:agency.example.org")).toEqual([11]);
    expect(staffIds("first_name:local")).toEqual([10]);
    const bad = compileSearch("account_type:boss", STAFF_FILTERS, STAFF, NOW);
    expect(bad.warnings).toEqual([
      { field: "account_type", message: "Input `boss` is not an accepted value.", code: "invalid_value" },
    ]);
  });
});
