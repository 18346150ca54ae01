// In-memory state of the emulated Shopify: shops and their customers, account links (invite and
// activation), the outbox of every email "sent", and the customer state machine.
import { randomBytes, randomUUID } from "node:crypto";
import { LeakyBucket, type BucketLimits } from "./bucket";
import type { Clock } from "./clock";
import {
  canonicalLocale,
  emptyStats,
  customerGid,
  noFaults,
  PLAN_PRESETS,
  PROTECTED_CONTENTS,
  STAFF_ACCOUNT_TYPES,
  type AccountLink,
  type Customer,
  type CustomerAccountsVersion,
  type CustomerDataAccess,
  type CustomerState,
  type ProtectedContent,
  type StaffAccountType,
  type StaffMember,
  type LinkKind,
  type OutboxEmail,
  type PlanName,
  type PlanPreset,
  type Shop,
} from "./model";
import { fnv1a } from "./prng";
import { firstCustomerId, seedCustomers, sortTags } from "./seed";

export const LINK_LIFETIME_MS = 30 * 86_400_000;
export const DEFAULT_SCOPES = "read_customers,write_customers";
const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export type CustomerTopic = "customers/create" | "customers/update" | "customers/delete" | "customers/enable";

export interface StoreEvents {
  customerChanged(shop: Shop, customer: Customer, topic: CustomerTopic): void;
}

export interface CreateShopOptions {
  domain: string;
  name?: string;
  email?: string;
  plan?: PlanName;
  custom?: BucketLimits;
  customerAccountsVersion?: CustomerAccountsVersion;
  customers?: number;
  seed?: number;
  scopes?: string;
  /** The staff user's admin language (BCP 47, default "en"): the local admin, the app's `locale`. */
  locale?: string;
  /** `shop.contactEmail` (default: the shop's email). */
  contactEmail?: string;
  /** Staff members besides the owner (whose email is the shop's). */
  staff?: StaffInput[];
  /** Protected customer data granted to the app: `{ level: 1 }` or `{ level: 2, fields? }` (default all). */
  protectedCustomerData?: unknown;
}

export interface StaffInput {
  email?: unknown;
  firstName?: unknown;
  lastName?: unknown;
  phone?: unknown;
  locale?: unknown;
  accountType?: unknown;
  active?: unknown;
  /** Access scopes the staff member's permissions cover (e.g. `["read_customers"]`); default: all. */
  permissions?: unknown;
}

const EMAIL_SHAPE = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** `{ level: 1 }`, `{ level: 2 }` or `{ level: 2, fields: ["email", "name"] }`; a 400 otherwise. */
export function customerDataAccess(value: unknown): CustomerDataAccess {
  const input = (typeof value === "number" ? { level: value } : value) as
    { level?: unknown; fields?: unknown } | null | undefined;
  const level = Number(input?.level);
  if (!input || typeof input !== "object" || (level !== 1 && level !== 2)) {
    throw new ShopError(
      'protectedCustomerData must be { level: 1 } or { level: 2, fields?: ["name", "email", "phone", "address"] }',
    );
  }
  if (level === 1) {
    if (input.fields !== undefined && !(Array.isArray(input.fields) && input.fields.length === 0))
      throw new ShopError(
        "protectedCustomerData: Level 1 grants no protected fields (use level 2 with fields)",
      );
    return { level: 1, fields: [] };
  }
  if (input.fields === undefined) return { level: 2, fields: [...PROTECTED_CONTENTS] };
  if (!Array.isArray(input.fields)) throw new ShopError("protectedCustomerData.fields must be an array");
  const fields: ProtectedContent[] = [];
  for (const field of input.fields) {
    if (!PROTECTED_CONTENTS.includes(field as ProtectedContent))
      throw new ShopError(
        `protectedCustomerData.fields: '${String(field)}' is not one of ${PROTECTED_CONTENTS.join(", ")}`,
      );
    if (!fields.includes(field as ProtectedContent)) fields.push(field as ProtectedContent);
  }
  return { level: 2, fields };
}

function staffEmail(value: unknown, label: string): string {
  if (typeof value !== "string" || !EMAIL_SHAPE.test(value.trim()))
    throw new ShopError(`${label} must be an email address (got ${JSON.stringify(value)})`);
  return value.trim();
}

const SCOPE_SHAPE = /^(read|write)_[a-z_]+$/;

/** A staff member's permissions as access scopes: an array (or comma list) of scopes, or null for all. */
function staffPermissions(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  const list = typeof value === "string" ? value.split(",") : value;
  if (!Array.isArray(list))
    throw new ShopError('staff permissions must be an array of access scopes, e.g. ["read_customers"]');
  const scopes: string[] = [];
  for (const item of list) {
    const scope = typeof item === "string" ? item.trim() : "";
    if (!scope) continue;
    if (!SCOPE_SHAPE.test(scope))
      throw new ShopError(
        `staff permissions: '${String(item)}' is not an access scope such as read_customers`,
      );
    if (!scopes.includes(scope)) scopes.push(scope);
  }
  return scopes;
}

/** The admin locale a shop is created or updated with; a 400 for anything but a BCP 47 tag. */
function adminLocale(value: unknown): string {
  const locale = canonicalLocale(value);
  if (!locale)
    throw new ShopError(
      `locale must be a BCP 47 language tag such as "en" or "fr" (got ${JSON.stringify(value)})`,
    );
  return locale;
}

export class ShopError extends Error {
  constructor(
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

function resolvePlan(
  plan: PlanName | undefined,
  custom: BucketLimits | undefined,
): { plan: PlanName; preset: PlanPreset } {
  if (custom || plan === "custom") {
    const limits = custom ?? PLAN_PRESETS.standard;
    if (!(limits.maximumAvailable > 0) || !(limits.restoreRate > 0)) {
      throw new ShopError("custom needs positive maximumAvailable and restoreRate");
    }
    return {
      plan: "custom",
      preset: {
        ...PLAN_PRESETS.standard,
        maximumAvailable: limits.maximumAvailable,
        restoreRate: limits.restoreRate,
        displayName: "Custom",
      },
    };
  }
  const name = plan ?? "standard";
  const preset = PLAN_PRESETS[name as Exclude<PlanName, "custom">];
  if (!preset)
    throw new ShopError(
      `unknown plan '${name}' (standard, basic, development, advanced, plus, enterprise, custom)`,
    );
  return { plan: name, preset };
}

export type LinkUseResult =
  | { ok: true; link: AccountLink; customer: Customer }
  | {
      ok: false;
      status: number;
      reason: "unknown" | "superseded" | "expired" | "used" | "declined" | "enabled";
      message: string;
    };

/**
 * One GraphQL mutation request that ran, with who sent it and when it was in flight (wall-clock ms, not the
 * emulator's clock): lets a test prove that two processes never paced one shop at once. `client` is the
 * X-Emulator-Client header the preload adds (the sending process's pid), or null.
 */
export interface MutationRequest {
  shop: string;
  client: string | null;
  /** customerSendAccountInviteEmail aliases in the document. */
  invites: number;
  receivedAt: number;
  /** When the answer was sent, lost or abandoned. */
  endedAt: number;
}

/** Most mutation requests kept (oldest dropped first), so a long demo does not grow without bound. */
export const MUTATION_LOG_LIMIT = 200_000;

export class EmulatorStore {
  readonly shops = new Map<string, Shop>();
  readonly outbox: OutboxEmail[] = [];
  readonly mutationRequests: MutationRequest[] = [];
  private readonly links = new Map<string, AccountLink>();
  private readonly linksByCustomer = new Map<string, AccountLink[]>();
  private outboxSeq = 0;

  constructor(
    readonly clock: Clock,
    private readonly events: StoreEvents,
  ) {}

  reset(): void {
    this.shops.clear();
    this.outbox.length = 0;
    this.mutationRequests.length = 0;
    this.links.clear();
    this.linksByCustomer.clear();
    this.outboxSeq = 0;
  }

  recordMutationRequest(request: MutationRequest): void {
    this.mutationRequests.push(request);
    if (this.mutationRequests.length > MUTATION_LOG_LIMIT)
      this.mutationRequests.splice(0, this.mutationRequests.length - MUTATION_LOG_LIMIT);
  }

  createShop(options: CreateShopOptions): Shop {
    const domain = String(options.domain ?? "").toLowerCase();
    if (!SHOP_DOMAIN.test(domain)) throw new ShopError("domain must look like <name>.myshopify.com");
    const { plan, preset } = resolvePlan(options.plan, options.custom);
    const count = Math.max(0, Math.floor(Number(options.customers ?? 0)));
    if (count > 1_000_000) throw new ShopError("at most 1,000,000 customers");
    const version = options.customerAccountsVersion ?? "CLASSIC";
    if (version !== "CLASSIC" && version !== "NEW_CUSTOMER_ACCOUNTS") {
      throw new ShopError("customerAccountsVersion must be CLASSIC or NEW_CUSTOMER_ACCOUNTS");
    }
    const firstId = firstCustomerId(domain);
    const customers = seedCustomers({ count, seed: Number(options.seed ?? 1), firstId });
    const byId = new Map<number, Customer>();
    for (const c of customers) byId.set(c.id, c);
    const handle = domain.replace(/\.myshopify\.com$/, "");
    const email =
      options.email === undefined ? `owner@${handle}.example.com` : staffEmail(options.email, "email");
    const shop: Shop = {
      domain,
      name:
        options.name ??
        handle.replace(/(^|-)([a-z])/g, (_, sep: string, ch: string) => (sep ? " " : "") + ch.toUpperCase()),
      email,
      contactEmail:
        options.contactEmail === undefined ? email : staffEmail(options.contactEmail, "contactEmail"),
      staff: [],
      nextStaffId: 90_000_000_000 + (fnv1a(domain) % 1_000_000_000),
      customerData:
        options.protectedCustomerData === undefined
          ? { level: 2, fields: [...PROTECTED_CONTENTS] }
          : customerDataAccess(options.protectedCustomerData),
      locale: options.locale === undefined ? "en" : adminLocale(options.locale),
      numericId: 60_000_000_000 + (fnv1a(domain) % 1_000_000_000),
      plan,
      preset,
      customerAccountsVersion: version,
      scopes: options.scopes ?? DEFAULT_SCOPES,
      customers,
      byId,
      nextCustomerId: firstId + count,
      bucket: new LeakyBucket(
        { maximumAvailable: preset.maximumAvailable, restoreRate: preset.restoreRate },
        this.clock,
      ),
      stats: emptyStats(),
      faults: noFaults(),
      installed: false,
      createdAt: this.clock.now(),
    };
    shop.staff.push({
      id: shop.nextStaffId++,
      email,
      firstName: "Local",
      lastName: "Owner",
      phone: null,
      locale: shop.locale,
      accountType: "REGULAR",
      active: true,
      isShopOwner: true,
      permissions: null,
    });
    for (const member of options.staff ?? []) this.addStaff(shop, member);
    this.shops.set(domain, shop);
    return shop;
  }

  /** Adds a staff member (not the owner); a 400 for a bad or duplicate email. */
  addStaff(shop: Shop, input: StaffInput): StaffMember {
    const email = staffEmail(input.email, "staff email");
    if (shop.staff.some((m) => m.email.toLowerCase() === email.toLowerCase()))
      throw new ShopError(`staff member ${email} already exists`, 409);
    const accountType = String(input.accountType ?? "REGULAR").toUpperCase() as StaffAccountType;
    if (!STAFF_ACCOUNT_TYPES.includes(accountType) || accountType === "INVITED_STORE_OWNER")
      throw new ShopError(`accountType must be one of ${STAFF_ACCOUNT_TYPES.slice(0, -1).join(", ")}`);
    const text = (value: unknown) => (typeof value === "string" && value.trim() ? value.trim() : null);
    const member: StaffMember = {
      id: shop.nextStaffId++,
      email,
      firstName: text(input.firstName),
      lastName: text(input.lastName),
      phone: text(input.phone),
      locale: input.locale === undefined ? "en" : adminLocale(input.locale),
      accountType,
      active: input.active === undefined ? true : Boolean(input.active),
      isShopOwner: false,
      permissions: staffPermissions(input.permissions),
    };
    shop.staff.push(member);
    return member;
  }

  /**
   * Changes a staff member's permissions or active flag, as the owner does in admin's Users and
   * permissions; the owner keeps full permissions (400). Unknown is 404.
   */
  updateStaff(shop: Shop, idOrEmail: string, patch: Pick<StaffInput, "permissions" | "active">): StaffMember {
    const key = idOrEmail.replace(/^gid:\/\/shopify\/StaffMember\//, "").toLowerCase();
    const member = shop.staff.find((m) => String(m.id) === key || m.email.toLowerCase() === key);
    if (!member) throw new ShopError(`Unknown staff member '${idOrEmail}' in ${shop.domain}`, 404);
    if (member.isShopOwner && (patch.permissions !== undefined || patch.active !== undefined))
      throw new ShopError("the shop owner always has full permissions");
    if (patch.permissions !== undefined) member.permissions = staffPermissions(patch.permissions);
    if (patch.active !== undefined) member.active = Boolean(patch.active);
    return member;
  }

  /** Removes a staff member by id or email; the owner cannot be removed (400), unknown is 404. */
  removeStaff(shop: Shop, idOrEmail: string): StaffMember {
    const key = idOrEmail.replace(/^gid:\/\/shopify\/StaffMember\//, "").toLowerCase();
    const index = shop.staff.findIndex((m) => String(m.id) === key || m.email.toLowerCase() === key);
    if (index < 0) throw new ShopError(`Unknown staff member '${idOrEmail}' in ${shop.domain}`, 404);
    const member = shop.staff[index]!;
    if (member.isShopOwner) throw new ShopError("the shop owner cannot be removed (change the shop's email)");
    shop.staff.splice(index, 1);
    return member;
  }

  updateShop(
    shop: Shop,
    patch: Partial<
      Pick<
        CreateShopOptions,
        | "plan"
        | "custom"
        | "customerAccountsVersion"
        | "scopes"
        | "name"
        | "email"
        | "locale"
        | "contactEmail"
        | "staff"
        | "protectedCustomerData"
      >
    >,
  ): Shop {
    if (patch.plan !== undefined || patch.custom !== undefined) {
      const { plan, preset } = resolvePlan(patch.plan, patch.custom);
      shop.plan = plan;
      shop.preset = preset;
      shop.bucket.setLimits({ maximumAvailable: preset.maximumAvailable, restoreRate: preset.restoreRate });
    }
    if (patch.customerAccountsVersion !== undefined) {
      if (
        patch.customerAccountsVersion !== "CLASSIC" &&
        patch.customerAccountsVersion !== "NEW_CUSTOMER_ACCOUNTS"
      ) {
        throw new ShopError("customerAccountsVersion must be CLASSIC or NEW_CUSTOMER_ACCOUNTS");
      }
      shop.customerAccountsVersion = patch.customerAccountsVersion;
    }
    if (patch.scopes !== undefined) shop.scopes = patch.scopes;
    if (patch.name !== undefined) shop.name = patch.name;
    if (patch.email !== undefined) {
      const email = staffEmail(patch.email, "email");
      const owner = shop.staff.find((m) => m.isShopOwner)!;
      if (shop.staff.some((m) => m !== owner && m.email.toLowerCase() === email.toLowerCase()))
        throw new ShopError(`${email} is already another staff member's email`, 409);
      shop.email = email;
      owner.email = email;
    }
    if (patch.contactEmail !== undefined) shop.contactEmail = staffEmail(patch.contactEmail, "contactEmail");
    if (patch.locale !== undefined) shop.locale = adminLocale(patch.locale);
    if (patch.protectedCustomerData !== undefined)
      shop.customerData = customerDataAccess(patch.protectedCustomerData);
    if (patch.staff !== undefined) {
      if (!Array.isArray(patch.staff)) throw new ShopError("staff must be an array");
      const owner = shop.staff.find((m) => m.isShopOwner)!;
      const previous = shop.staff;
      shop.staff = [owner];
      try {
        for (const member of patch.staff) this.addStaff(shop, member);
      } catch (error) {
        shop.staff = previous;
        throw error;
      }
    }
    return shop;
  }

  getShop(domain: string | null | undefined): Shop | undefined {
    return domain ? this.shops.get(domain.toLowerCase()) : undefined;
  }

  findCustomer(shop: Shop, id: number): Customer | undefined {
    const customer = shop.byId.get(id);
    return customer && !customer.deleted ? customer : undefined;
  }

  /** Customers in id order (deleted ones are removed from the array). */
  liveCustomers(shop: Shop): Customer[] {
    return shop.customers;
  }

  createCustomer(
    shop: Shop,
    input: Partial<Omit<Customer, "id" | "createdAt" | "updatedAt">>,
    options: { silent?: boolean } = {},
  ): Customer {
    const now = this.clock.now();
    const customer: Customer = {
      id: shop.nextCustomerId++,
      firstName: input.firstName ?? null,
      lastName: input.lastName ?? null,
      email: input.email ?? null,
      phone: input.phone ?? null,
      state: input.state ?? "DISABLED",
      tags: input.tags ?? [],
      note: input.note ?? null,
      verifiedEmail: input.verifiedEmail ?? false,
      numberOfOrders: input.numberOfOrders ?? 0,
      locale: input.locale ?? "en",
      createdAt: now,
      updatedAt: now,
      acceptsMarketing: input.acceptsMarketing ?? false,
      amountSpent: input.amountSpent ?? 0,
      orderDates: input.orderDates ?? [],
      lastAbandonedOrderAt: input.lastAbandonedOrderAt ?? null,
      addresses: input.addresses ?? [],
    };
    customer.tags = sortTags(customer.tags);
    customer.addresses = customer.addresses.map((a, i) => ({ ...a, id: customer.id * 10 + i }));
    shop.customers.push(customer);
    shop.byId.set(customer.id, customer);
    if (!options.silent) this.events.customerChanged(shop, customer, "customers/create");
    return customer;
  }

  updateCustomer(
    shop: Shop,
    customer: Customer,
    patch: Partial<Omit<Customer, "id" | "createdAt" | "updatedAt">>,
    options: { silent?: boolean } = {},
  ): Customer {
    const enabled = patch.state === "ENABLED" && customer.state !== "ENABLED";
    Object.assign(customer, patch);
    if (patch.tags) customer.tags = sortTags(patch.tags);
    customer.updatedAt = this.clock.now();
    if (!options.silent) {
      this.events.customerChanged(shop, customer, "customers/update");
      // An account enabled (a password set through an invite or activation link) also sends
      // customers/enable, "whenever a customer account is enabled".
      if (enabled) this.events.customerChanged(shop, customer, "customers/enable");
    }
    return customer;
  }

  deleteCustomer(shop: Shop, customer: Customer): void {
    customer.deleted = true;
    shop.byId.delete(customer.id);
    const index = this.indexOf(shop, customer.id);
    if (index >= 0) shop.customers.splice(index, 1);
    for (const link of this.linksFor(shop, customer.id))
      if (link.status === "active") link.status = "superseded";
    this.events.customerChanged(shop, customer, "customers/delete");
  }

  /** Position of a customer id in the id-ordered array (binary search), or -1. */
  indexOf(shop: Shop, id: number): number {
    const list = shop.customers;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const value = list[mid]!.id;
      if (value === id) return mid;
      if (value < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  private setState(shop: Shop, customer: Customer, state: CustomerState): void {
    if (customer.state === state) return;
    this.updateCustomer(shop, customer, { state });
  }

  linksFor(shop: Shop, customerId: number): AccountLink[] {
    return this.linksByCustomer.get(`${shop.domain}:${customerId}`) ?? [];
  }

  allLinks(shop?: Shop): AccountLink[] {
    const all = [...this.links.values()];
    return shop ? all.filter((l) => l.shop === shop.domain) : all;
  }

  /**
   * A new account link (invite or activation URL). Every earlier link of the customer that is still
   * active becomes superseded: Shopify documents this for activation URLs; the emulator applies it to
   * invite links too, as both set the same account's password (README, open items).
   */
  issueLink(shop: Shop, customer: Customer, kind: LinkKind): AccountLink {
    const key = `${shop.domain}:${customer.id}`;
    const list = this.linksByCustomer.get(key) ?? [];
    for (const link of list) if (link.status === "active") link.status = "superseded";
    const token = randomBytes(32).toString("hex");
    const now = this.clock.now();
    const link: AccountLink = {
      token,
      shop: shop.domain,
      customerId: customer.id,
      kind,
      url: `https://${shop.domain}/account/activate/${customer.id}/${token}`,
      createdAt: now,
      expiresAt: now + LINK_LIFETIME_MS,
      status: "active",
      usedAt: null,
    };
    list.push(link);
    this.linksByCustomer.set(key, list);
    this.links.set(token, link);
    return link;
  }

  /** Records the invite email in the outbox and moves the customer to INVITED. */
  sendInvite(
    shop: Shop,
    customer: Customer,
    email: {
      to: string;
      from: string;
      subject: string;
      customMessage: string | null;
      body: string | null;
      bcc: string[];
    },
  ): OutboxEmail {
    const link = this.issueLink(shop, customer, "invite");
    const entry: OutboxEmail = {
      seq: ++this.outboxSeq,
      id: randomUUID(),
      shop: shop.domain,
      kind: "invite",
      customerId: customerGid(customer.id),
      to: email.to,
      from: email.from,
      subject: email.subject,
      customMessage: email.customMessage,
      body: email.body,
      bcc: email.bcc,
      sentAt: new Date(this.clock.now()).toISOString(),
      inviteToken: link.token,
      inviteUrl: link.url,
    };
    this.outbox.push(entry);
    this.setState(shop, customer, "INVITED");
    return entry;
  }

  /** Looks a link up for the customer pages without using it. */
  checkLink(shop: Shop, customerId: number, token: string): LinkUseResult {
    const link = this.links.get(token);
    if (!link || link.shop !== shop.domain || link.customerId !== customerId) {
      return { ok: false, status: 404, reason: "unknown", message: "This link is invalid." };
    }
    const customer = this.findCustomer(shop, customerId);
    if (!customer) return { ok: false, status: 404, reason: "unknown", message: "This link is invalid." };
    if (link.status === "used" || link.status === "declined") {
      return customer.state === "ENABLED"
        ? { ok: false, status: 410, reason: "enabled", message: "Customer already enabled" }
        : { ok: false, status: 410, reason: link.status, message: "This link has already been used." };
    }
    if (customer.state === "ENABLED")
      return { ok: false, status: 410, reason: "enabled", message: "Customer already enabled" };
    if (link.status === "superseded") {
      return {
        ok: false,
        status: 410,
        reason: "superseded",
        message: "This link is no longer valid: a newer one was sent.",
      };
    }
    if (link.expiresAt <= this.clock.now())
      return { ok: false, status: 410, reason: "expired", message: "This link has expired." };
    return { ok: true, link, customer };
  }

  /** The customer opened the link and set a password (activate) or declined the invitation. */
  useLink(shop: Shop, customerId: number, token: string, action: "activate" | "decline"): LinkUseResult {
    const checked = this.checkLink(shop, customerId, token);
    if (!checked.ok) return checked;
    const { link, customer } = checked;
    const now = this.clock.now();
    link.status = action === "activate" ? "used" : "declined";
    link.usedAt = now;
    for (const other of this.linksFor(shop, customerId))
      if (other !== link && other.status === "active") other.status = "superseded";
    if (action === "activate") this.updateCustomer(shop, customer, { state: "ENABLED", verifiedEmail: true });
    else this.setState(shop, customer, "DECLINED");
    return { ok: true, link, customer };
  }
}
