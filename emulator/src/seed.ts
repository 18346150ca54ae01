// Deterministic customers for a shop: the same (seed, count, domain) always gives the same customers.
// State mix ~55% DISABLED, 20% INVITED, 20% ENABLED, 5% DECLINED; ~3% have no email (always DISABLED).
import type { Customer, CustomerState } from "./model";
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
    const tags: string[] = [];
    for (const [tag, share] of TAGS) if (random() < share) tags.push(tag);
    const createdAt = CREATED_FROM + Math.floor(random() * CREATED_SPAN);
    const updatedAt = createdAt + Math.floor(random() * 90 * 86_400_000);
    const hasPhone = random() < 0.3;
    const phoneDigits = Math.floor(random() * 10_000_000);
    const orders = Math.floor(-Math.log(1 - random()) * 2.5);
    const domain = pick(EMAIL_DOMAINS);
    customers[i] = {
      id: firstId + i,
      firstName,
      lastName,
      email: hasEmail ? `${asciiLocal(firstName)}.${asciiLocal(lastName)}${i + 1}@${domain}` : null,
      phone: hasPhone ? `+1555${String(phoneDigits).padStart(7, "0")}` : null,
      state,
      tags,
      note: null,
      verifiedEmail: state === "ENABLED" ? true : random() < 0.5,
      numberOfOrders: orders,
      locale: "en",
      createdAt,
      updatedAt,
    };
  }
  return customers;
}
