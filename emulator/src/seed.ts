// Deterministic customers for a shop: the same (seed, count, domain) always gives the same customers.
// State mix ~55% DISABLED, 20% INVITED, 20% ENABLED, 5% DECLINED; ~3% have no email (always DISABLED).
import type { Customer, CustomerAddress, CustomerState } from "./model";
import { fnv1a, mulberry32 } from "./prng";

const FIRST_NAMES = [
  "Olivia",
  "Liam",
  "Emma",
  "Noah",
  "Amelia",
  "Oliver",
  "Sophia",
  "Elijah",
  "Charlotte",
  "James",
  "Ava",
  "William",
  "Isabella",
  "Benjamin",
  "Mia",
  "Lucas",
  "Evelyn",
  "Henry",
  "Harper",
  "Theodore",
  "Luna",
  "Jack",
  "Camila",
  "Levi",
  "Gianna",
  "Alexander",
  "Elizabeth",
  "Jackson",
  "Eleanor",
  "Mateo",
  "Ella",
  "Daniel",
  "Abigail",
  "Michael",
  "Sofia",
  "Mason",
  "Avery",
  "Sebastian",
  "Scarlett",
  "Ethan",
  "Emily",
  "Logan",
  "Aria",
  "Owen",
  "Penelope",
  "Samuel",
  "Chloe",
  "Jacob",
  "Layla",
  "Asher",
  "Aiko",
  "Hiroshi",
  "Priya",
  "Arjun",
  "Fatima",
  "Omar",
  "Ingrid",
  "Lars",
  "Chiara",
  "Matteo",
  "Zoë",
  "Renée",
  "José",
  "Léa",
  "Søren",
  "Małgorzata",
  "Nguyen",
  "Thandiwe",
  "Kwame",
  "Aroha",
];
const LAST_NAMES = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Perez",
  "Thompson",
  "White",
  "Harris",
  "Sanchez",
  "Clark",
  "Ramirez",
  "Lewis",
  "Robinson",
  "Walker",
  "Young",
  "Allen",
  "King",
  "Wright",
  "Scott",
  "Torres",
  "Nguyen",
  "Hill",
  "Flores",
  "Green",
  "Adams",
  "Nelson",
  "Baker",
  "Hall",
  "Rivera",
  "Campbell",
  "Mitchell",
  "Carter",
  "Roberts",
  "Tanaka",
  "Sato",
  "Patel",
  "Sharma",
  "Khan",
  "Haddad",
  "Johansson",
  "Nielsen",
  "Rossi",
  "Bianchi",
  "O'Brien",
  "Müller",
  "Dubois",
  "Kowalski",
  "Mensah",
  "Okafor",
  "Ngata",
  "Van der Berg",
  "García-Márquez",
  "Søndergaard",
];
const EMAIL_DOMAINS = ["example.com", "example.net", "example.org", "mail.example.com"];
const TAGS: [string, number][] = [
  ["newsletter", 0.35],
  ["imported", 0.3],
  ["wholesale", 0.1],
  ["vip", 0.08],
];
const SORTED_TAGS = TAGS.map(([tag]) => tag).sort();
// Addresses: country (name, code, a province or region with its code, cities) and the share of customers.
const COUNTRIES: { name: string; code: string; share: number; regions: [string, string, string[]][] }[] = [
  {
    name: "United States",
    code: "US",
    share: 0.45,
    regions: [
      ["New York", "NY", ["New York", "Buffalo"]],
      ["California", "CA", ["Los Angeles", "San Francisco"]],
      ["Texas", "TX", ["Austin", "Houston"]],
    ],
  },
  {
    name: "Canada",
    code: "CA",
    share: 0.15,
    regions: [
      ["Ontario", "ON", ["Toronto", "Ottawa"]],
      ["Quebec", "QC", ["Montréal", "Québec"]],
    ],
  },
  { name: "United Kingdom", code: "GB", share: 0.1, regions: [["England", "ENG", ["London", "Leeds"]]] },
  { name: "France", code: "FR", share: 0.1, regions: [["Île-de-France", "IDF", ["Paris", "Versailles"]]] },
  { name: "Germany", code: "DE", share: 0.08, regions: [["Berlin", "BE", ["Berlin"]]] },
  { name: "Japan", code: "JP", share: 0.07, regions: [["Tokyo", "JP-13", ["Tokyo"]]] },
  { name: "Australia", code: "AU", share: 0.05, regions: [["New South Wales", "NSW", ["Sydney"]]] },
];
// Strings many customers share are made once (100,000 customers stay light).
const interned = new Map<string, string>();
const intern = (value: string) => {
  const known = interned.get(value);
  if (known !== undefined) return known;
  if (interned.size < 200_000) interned.set(value, value);
  return value;
};
const NO_DATES: number[] = [];
const NO_ADDRESSES: CustomerAddress[] = [];
const STREETS = ["Main Street", "Rue de Rivoli", "King Street", "Elm Avenue", "Harbour Road", "Market Lane"];

// Seeded customers were created between these instants (fixed, so seeding is independent of the clock).
const CREATED_FROM = Date.UTC(2023, 0, 1);
const CREATED_SPAN = 1000 * 86_400_000;

/** First customer id for a shop: a per-domain range, so GIDs differ between shops. */
export function firstCustomerId(domain: string): number {
  return 7_000_000_000_000 + (fnv1a(domain) % 900) * 1_000_000_000 + 1;
}

function asciiLocal(text: string): string {
  return text
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/ø/g, "o")
    .replace(/ł/g, "l")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "");
}

/**
 * Shopify returns tags sorted (case-insensitively here), each once: the order `tags` answers in and
 * webhooks carry.
 */
export function sortTags(tags: readonly string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const tag of tags) {
    const key = tag.toLowerCase();
    if (!seen.has(key)) {
      seen.add(key);
      out.push(tag);
    }
  }
  return out.sort((a, b) => {
    const x = a.toLowerCase();
    const y = b.toLowerCase();
    return x < y ? -1 : x > y ? 1 : a < b ? -1 : a > b ? 1 : 0;
  });
}

/**
 * The fields added after the first seeds (addresses, marketing, orders, abandoned checkouts) come from a
 * second generator, so the earlier fields of a (seed, count) stay exactly what they were.
 */
interface Extras {
  acceptsMarketing: boolean;
  amountSpent: number;
  orderDates: number[];
  lastAbandonedOrderAt: number | null;
  addresses: CustomerAddress[];
}

function seedExtras(
  random: () => number,
  customer: Pick<Customer, "id" | "firstName" | "lastName" | "phone" | "numberOfOrders" | "createdAt">,
): Extras {
  const acceptsMarketing = random() < 0.3;
  // Exact-size arrays, and shared empty ones: a pushed-to [] keeps room for 17 elements, which adds up
  // over 100,000 customers.
  const orders = customer.numberOfOrders;
  let orderDates = NO_DATES;
  let amountSpent = 0;
  if (orders > 0) {
    orderDates = new Array<number>(orders);
    for (let n = 0; n < orders; n++) {
      orderDates[n] = customer.createdAt + Math.floor(random() * 365 * 86_400_000);
      amountSpent += Math.round((15 + random() * 185) * 100) / 100;
    }
    if (orders > 1) orderDates.sort((a, b) => a - b);
  }
  const lastAbandonedOrderAt =
    random() < 0.15 ? customer.createdAt + Math.floor(random() * 400 * 86_400_000) : null;
  const addressCount = random() < 0.8 ? (random() < 0.15 ? 2 : 1) : 0;
  const address = (i: number): CustomerAddress => {
    let roll = random();
    let country = COUNTRIES[COUNTRIES.length - 1]!;
    for (const candidate of COUNTRIES) {
      if (roll < candidate.share) {
        country = candidate;
        break;
      }
      roll -= candidate.share;
    }
    const [province, provinceCode, cities] = country.regions[Math.floor(random() * country.regions.length)]!;
    return {
      id: customer.id * 10 + i,
      firstName: customer.firstName,
      lastName: customer.lastName,
      company: null,
      address1: intern(`${1 + Math.floor(random() * 200)} ${STREETS[Math.floor(random() * STREETS.length)]}`),
      address2: null,
      city: cities[Math.floor(random() * cities.length)]!,
      province,
      provinceCode,
      country: country.name,
      countryCode: country.code,
      zip: intern(String(10_000 + Math.floor(random() * 89_999))),
      phone: customer.phone,
    };
  };
  const addresses =
    addressCount === 0 ? NO_ADDRESSES : addressCount === 1 ? [address(0)] : [address(0), address(1)];
  return {
    acceptsMarketing,
    amountSpent: Math.round(amountSpent * 100) / 100,
    orderDates,
    lastAbandonedOrderAt,
    addresses,
  };
}

export function seedCustomers({
  count,
  seed,
  firstId,
}: {
  count: number;
  seed: number;
  firstId: number;
}): Customer[] {
  const random = mulberry32(seed);
  const extras = mulberry32((seed ^ 0x5eed_a11) >>> 0);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const customers: Customer[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const firstName = pick(FIRST_NAMES);
    const lastName = pick(LAST_NAMES);
    const hasEmail = random() >= 0.03;
    const roll = random();
    let state: CustomerState =
      roll < 0.55 ? "DISABLED" : roll < 0.75 ? "INVITED" : roll < 0.95 ? "ENABLED" : "DECLINED";
    if (!hasEmail) state = "DISABLED";
    // Drawn in TAGS order (so seeds stay what they were), kept in Shopify's (sorted) order.
    const drawn = new Set<string>();
    for (const [tag, share] of TAGS) if (random() < share) drawn.add(tag);
    const tags = drawn.size === 0 ? [] : SORTED_TAGS.filter((t) => drawn.has(t));
    const createdAt = CREATED_FROM + Math.floor(random() * CREATED_SPAN);
    const updatedAt = createdAt + Math.floor(random() * 90 * 86_400_000);
    const hasPhone = random() < 0.3;
    const phoneDigits = Math.floor(random() * 10_000_000);
    const orders = Math.floor(-Math.log(1 - random()) * 2.5);
    const domain = pick(EMAIL_DOMAINS);
    const id = firstId + i;
    const phone = hasPhone ? `+1555${String(phoneDigits).padStart(7, "0")}` : null;
    const more = seedExtras(extras, { id, firstName, lastName, phone, numberOfOrders: orders, createdAt });
    customers[i] = {
      id,
      firstName,
      lastName,
      email: hasEmail ? `${asciiLocal(firstName)}.${asciiLocal(lastName)}${i + 1}@${domain}` : null,
      phone,
      state,
      tags,
      note: null,
      verifiedEmail: state === "ENABLED" ? true : random() < 0.5,
      numberOfOrders: orders,
      locale: "en",
      createdAt,
      updatedAt,
      acceptsMarketing: more.acceptsMarketing,
      amountSpent: more.amountSpent,
      orderDates: more.orderDates,
      lastAbandonedOrderAt: more.lastAbandonedOrderAt,
      addresses: more.addresses,
    };
  }
  return customers;
}
