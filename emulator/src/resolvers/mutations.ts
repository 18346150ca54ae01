// The mutations the app uses, with Shopify's userErrors. Messages marked "open" in emulator/README.md are
// the emulator's choice where Shopify's exact text is unknown.
import { customerGid, type Customer, type Shop } from "../model";
import { invalidGid, parseGid, requireScope, type GraphqlContext, type ResolverMap } from "./context";
import { bulkMutationResolvers } from "./bulk";
import { flowMutationResolvers } from "./flow";
import { mergeResolvers, segmentMutationResolvers } from "./segments";

export const EMAIL_PATTERN = /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/;
/** Longest subject / custom message / body Shopify sends; beyond, the send fails (captures: 1,001 and 5,001 refused). */
export const SUBJECT_MAX = 1000;
export const CUSTOM_MESSAGE_MAX = 5000;
export const BODY_MAX = 50_000;
export const DEFAULT_INVITE_SUBJECT = "Customer account activation";
const HTML_TAG = /<\/?[a-z][^>]*>/i;

export const MESSAGES = {
  inviteNotFound: "Customer can't be found",
  activationNotFound: "The customer can't be found.",
  inviteSendFailed: "Error sending account invite to customer.",
  toInvalid: "To is invalid",
  fromInvalid: "From Sender is invalid",
  subjectBlank: "Subject can't be blank",
  inviteEnabled: "Account already enabled", // open
  inviteNoEmail: "Customer must have an email address", // open
  activationEnabled: "Customer already enabled", // open (seen on the activation page)
  activationDeclined: "Account activation URL can only be generated for disabled or invited customers", // open
  newCustomerAccounts: "Legacy customer accounts are not enabled for this shop", // open
} as const;

interface UserError {
  field: string[] | null;
  message: string;
  code?: string;
}

interface EmailInput {
  to?: string | null;
  from?: string | null;
  subject?: string | null;
  customMessage?: string | null;
  body?: string | null;
  bcc?: string[] | null;
}

function customerFromArg(context: GraphqlContext, value: unknown): Customer | null {
  const gid = parseGid(value);
  if (!gid) throw invalidGid(value);
  if (gid.type !== "Customer") return null;
  return context.store.findCustomer(context.shop, gid.id) ?? null;
}

/** Rails' `to_sentence`: "a", "a and b", "a, b, and c". */
export function toSentence(items: string[]): string {
  if (items.length <= 2) return items.join(" and ");
  return `${items.slice(0, -1).join(", ")}, and ${items[items.length - 1]}`;
}

const lower = (s: string) => s.trim().toLowerCase();

/** The addresses an invite may come from: the shop's email and its contact email. */
export function senderAddresses(shop: Shop): string[] {
  return [...new Set([shop.email, shop.contactEmail])];
}

/**
 * EmailInput checks with Shopify's messages (captures in shopify-captures/customers/): every field
 * problem is reported, in the order to, from, subject, bcc.
 */
export function validateEmailInput(shop: Shop, email: EmailInput | null | undefined): UserError[] {
  if (!email) return [];
  const errors: UserError[] = [];
  const invalid = (field: string, message: string) =>
    errors.push({ field: ["email", field], message, code: "INVALID" });
  if (email.to != null && !EMAIL_PATTERN.test(email.to.trim())) invalid("to", MESSAGES.toInvalid);
  if (email.from != null) {
    const senders = senderAddresses(shop).map(lower);
    if (!senders.includes(lower(email.from))) invalid("from", MESSAGES.fromInvalid);
  }
  if (email.subject != null && email.subject.trim() === "") invalid("subject", MESSAGES.subjectBlank);
  if (email.bcc != null && email.bcc.length > 0) {
    const staff = shop.staff.map((m) => lower(m.email));
    const refused = email.bcc.filter((address) => !staff.includes(lower(address)));
    if (refused.length > 0)
      invalid("bcc", `Bcc ${toSentence(refused.map((a) => `${a} is not a valid bcc address`))}`);
  }
  return errors;
}

/** What makes Shopify's send fail after validation: the generic error on `customerId`. */
function sendFails(email: EmailInput | null | undefined): boolean {
  if (!email) return false;
  if (email.subject != null && email.subject.length > SUBJECT_MAX) return true;
  if (email.customMessage != null) {
    if (email.customMessage.length > CUSTOM_MESSAGE_MAX) return true;
    if (HTML_TAG.test(email.customMessage)) return true;
  }
  return email.body != null && email.body.length > BODY_MAX;
}

function normaliseTags(tags: unknown): string[] {
  const list = Array.isArray(tags) ? tags : typeof tags === "string" ? [tags] : [];
  const out: string[] = [];
  for (const entry of list)
    for (const tag of String(entry).split(","))
      if (tag.trim() && !out.includes(tag.trim())) out.push(tag.trim());
  return out;
}

interface CustomerInput {
  id?: string | null;
  email?: string | null;
  firstName?: string | null;
  lastName?: string | null;
  phone?: string | null;
  note?: string | null;
  tags?: string[] | null;
  locale?: string | null;
}

const SUPPORTED_INPUT = new Set(["id", "email", "firstName", "lastName", "phone", "note", "tags", "locale"]);

function validateCustomerInput(shop: Shop, input: CustomerInput, self: Customer | null): UserError[] {
  const errors: UserError[] = [];
  for (const key of Object.keys(input)) {
    if (!SUPPORTED_INPUT.has(key))
      errors.push({ field: [key], message: `CustomerInput.${key} is not emulated` });
  }
  if (input.email != null && input.email !== "") {
    if (!EMAIL_PATTERN.test(input.email)) errors.push({ field: ["email"], message: "Email is invalid" });
    else {
      const lower = input.email.toLowerCase();
      const taken = shop.customers.some((c) => c !== self && c.email?.toLowerCase() === lower);
      if (taken) errors.push({ field: ["email"], message: "Email has already been taken" });
    }
  }
  if (input.phone != null && input.phone !== "" && !/^\+?[0-9 ()-]{6,20}$/.test(input.phone)) {
    errors.push({ field: ["phone"], message: "Phone is invalid" });
  }
  return errors;
}

function patchFrom(input: CustomerInput): Partial<Customer> {
  const patch: Partial<Customer> = {};
  if (input.email !== undefined) patch.email = input.email || null;
  if (input.firstName !== undefined) patch.firstName = input.firstName;
  if (input.lastName !== undefined) patch.lastName = input.lastName;
  if (input.phone !== undefined) patch.phone = input.phone || null;
  if (input.note !== undefined) patch.note = input.note;
  if (input.tags !== undefined) patch.tags = normaliseTags(input.tags);
  if (input.locale != null) patch.locale = input.locale;
  return patch;
}

export const mutationResolvers: ResolverMap = {
  Mutation: {
    customerSendAccountInviteEmail: (
      _s,
      args: { customerId: string; email?: EmailInput | null },
      context,
    ) => {
      requireScope(context, "write_customers", "customerSendAccountInviteEmail");
      const { shop, store } = context;
      const customer = customerFromArg(context, args.customerId);
      const fail = (errors: UserError[], withCustomer: Customer | null = null) => ({
        customer: withCustomer,
        userErrors: errors,
      });
      if (!customer)
        return fail([{ field: ["customerId"], message: MESSAGES.inviteNotFound, code: "INVALID" }]);
      const inputErrors = validateEmailInput(shop, args.email);
      if (inputErrors.length > 0) return fail(inputErrors);
      if (shop.customerAccountsVersion !== "CLASSIC") {
        return fail([{ field: ["customerId"], message: MESSAGES.newCustomerAccounts, code: "INVALID" }]);
      }
      if (customer.state === "ENABLED")
        return fail([{ field: ["customerId"], message: MESSAGES.inviteEnabled, code: "INVALID" }]);
      if (!customer.email)
        return fail([{ field: ["customerId"], message: MESSAGES.inviteNoEmail, code: "INVALID" }]);
      if (sendFails(args.email))
        return fail([{ field: ["customerId"], message: MESSAGES.inviteSendFailed, code: "INVALID" }]);
      const email = args.email ?? {};
      store.sendInvite(shop, customer, {
        to: email.to?.trim() || customer.email,
        from: email.from ?? shop.email,
        subject: email.subject ?? DEFAULT_INVITE_SUBJECT,
        customMessage: email.customMessage ?? null,
        body: email.body ?? null,
        bcc: email.bcc ?? [],
      });
      return { customer, userErrors: [] };
    },

    customerGenerateAccountActivationUrl: (_s, args: { customerId: string }, context) => {
      requireScope(context, "write_customers", "customerGenerateAccountActivationUrl");
      const { shop, store } = context;
      const customer = customerFromArg(context, args.customerId);
      const fail = (message: string) => ({
        accountActivationUrl: null,
        userErrors: [{ field: ["customerId"], message }],
      });
      if (!customer) return fail(MESSAGES.activationNotFound);
      if (shop.customerAccountsVersion !== "CLASSIC") return fail(MESSAGES.newCustomerAccounts);
      if (customer.state === "ENABLED") return fail(MESSAGES.activationEnabled);
      if (customer.state === "DECLINED") return fail(MESSAGES.activationDeclined);
      const link = store.issueLink(shop, customer, "activation");
      return { accountActivationUrl: link.url, userErrors: [] };
    },

    customerCreate: (_s, args: { input: CustomerInput }, context) => {
      requireScope(context, "write_customers", "customerCreate");
      const { shop, store } = context;
      const input = args.input;
      const errors = validateCustomerInput(shop, input, null);
      if (input.id != null)
        errors.push({ field: ["id"], message: "Id must be blank when creating a customer" });
      if (!input.email && !input.phone && !input.firstName && !input.lastName) {
        errors.push({ field: null, message: "A name, phone number, or email address must be present" });
      }
      if (errors.length > 0) return { customer: null, userErrors: errors };
      const customer = store.createCustomer(shop, patchFrom(input));
      return { customer, userErrors: [] };
    },

    customerUpdate: (_s, args: { input: CustomerInput }, context) => {
      requireScope(context, "write_customers", "customerUpdate");
      const { shop, store } = context;
      const input = args.input;
      if (input.id == null)
        return { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
      const customer = customerFromArg(context, input.id);
      if (!customer)
        return { customer: null, userErrors: [{ field: ["id"], message: "Customer does not exist" }] };
      const errors = validateCustomerInput(shop, input, customer);
      if (errors.length > 0) return { customer: null, userErrors: errors };
      store.updateCustomer(shop, customer, patchFrom(input));
      return { customer, userErrors: [] };
    },

    customerDelete: (_s, args: { input: { id: string } }, context) => {
      requireScope(context, "write_customers", "customerDelete");
      const { shop, store } = context;
      const customer = customerFromArg(context, args.input.id);
      if (!customer)
        return {
          deletedCustomerId: null,
          shop,
          userErrors: [{ field: ["id"], message: "Customer can't be found" }],
        };
      store.deleteCustomer(shop, customer);
      return { deletedCustomerId: customerGid(customer.id), shop, userErrors: [] };
    },
  },
  CustomerSendAccountInviteEmailPayload: { customer: true, userErrors: true },
  CustomerSendAccountInviteEmailUserError: { code: true, field: true, message: true },
  CustomerGenerateAccountActivationUrlPayload: { accountActivationUrl: true, userErrors: true },
  CustomerCreatePayload: { customer: true, userErrors: true },
  CustomerUpdatePayload: { customer: true, userErrors: true },
  CustomerDeletePayload: { deletedCustomerId: true, shop: true, userErrors: true },
  UserError: { field: true, message: true },
};

// Customer segments (segmentCreate, segmentUpdate, segmentDelete): ./segments.ts.
mergeResolvers(mutationResolvers, segmentMutationResolvers);
mergeResolvers(mutationResolvers, bulkMutationResolvers);
mergeResolvers(mutationResolvers, flowMutationResolvers);
