import {
  Kind,
  parse,
  print,
  type FieldNode,
  type OperationDefinitionNode,
  type VariableDefinitionNode,
} from "graphql";
import { z } from "zod";
import type { CustomerSendAccountInviteEmailMutation as InviteMutationResult } from "~/types/admin.generated";
import { CustomerSendAccountInviteEmailMutation } from "~/graphql/CustomerSendAccountInviteEmailMutation";

// Several invites in one request (Shopify allows aliased mutations, each with its own userErrors).
//
// A static, codegen-typed document cannot vary its number of aliases, so the batch is *generated* from
// the one typed operation, CustomerSendAccountInviteEmailMutation: its mutation field, with its exact
// selection, is repeated as `i0`, `i1`, … with one `$cN: ID!` variable per alias and one shared
// `$email: EmailInput`. Consequences:
// - the fields asked for are the typed operation's, so each alias's answer has the generated payload
//   type; `parseInviteBatchData` checks that at run time with a zod schema proven (below, at compile
//   time) to accept every value of the generated type;
// - test/graphql/inviteBatchDocument.test.ts validates generated documents (1, 2 and 100 aliases)
//   against Shopify's published schema, as test/graphql/documents.test.ts does for static ones.

export type InvitePayload = NonNullable<InviteMutationResult["customerSendAccountInviteEmail"]>;

const source = parse(CustomerSendAccountInviteEmailMutation);
const operation = source.definitions.find(
  (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
);
const [mutationField] = operation?.selectionSet.selections ?? [];
if (!operation || mutationField?.kind !== Kind.FIELD) {
  throw new Error("CustomerSendAccountInviteEmailMutation must hold one mutation field");
}
const template: FieldNode = mutationField;
const emailVariable = operation.variableDefinitions?.find((v) => v.variable.name.value === "email");
const customerIdVariable = operation.variableDefinitions?.find((v) => v.variable.name.value === "customerId");
if (!emailVariable || !customerIdVariable)
  throw new Error("the invite mutation must take $customerId and $email");

export const BATCH_OPERATION_NAME = "CustomerSendAccountInviteEmailBatch";
export const aliasFor = (index: number) => `i${index}`;
const customerVariableFor = (index: number) => `c${index}`;

function aliasedField(index: number): FieldNode {
  return {
    ...template,
    alias: { kind: Kind.NAME, value: aliasFor(index) },
    arguments: (template.arguments ?? []).map((argument) =>
      argument.name.value === "customerId"
        ? {
            ...argument,
            value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: customerVariableFor(index) } },
          }
        : argument,
    ),
  };
}

const documents = new Map<number, string>();

/** The batch document for `size` invites (memoised: at most one per batch size). */
export function inviteBatchDocument(size: number): string {
  if (!Number.isInteger(size) || size < 1) throw new Error(`invalid batch size ${size}`);
  const cached = documents.get(size);
  if (cached) return cached;
  const variables: VariableDefinitionNode[] = [emailVariable!];
  const fields: FieldNode[] = [];
  for (let index = 0; index < size; index++) {
    variables.push({
      ...customerIdVariable!,
      variable: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: customerVariableFor(index) } },
    });
    fields.push(aliasedField(index));
  }
  const document = print({
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...operation!,
        name: { kind: Kind.NAME, value: BATCH_OPERATION_NAME },
        variableDefinitions: variables,
        selectionSet: { kind: Kind.SELECTION_SET, selections: fields },
      },
    ],
  });
  documents.set(size, document);
  return document;
}

export interface InviteEmail {
  subject?: string;
  customMessage?: string;
  from?: string;
  bcc?: string[];
}

export function inviteBatchVariables(
  customerIds: string[],
  email: InviteEmail | null,
): Record<string, unknown> {
  const variables: Record<string, unknown> = { email };
  customerIds.forEach((id, index) => {
    variables[customerVariableFor(index)] = id;
  });
  return variables;
}

// Lenient where Shopify may grow (an error code or state added later must not break parsing).
const invitePayloadSchema = z.object({
  customer: z.object({ id: z.string(), state: z.string() }).nullish(),
  userErrors: z.array(
    z.object({ code: z.string().nullish(), field: z.array(z.string()).nullish(), message: z.string() }),
  ),
});
type ParsedInvitePayload = z.infer<typeof invitePayloadSchema>;

// Compile-time proof that the schema accepts every value of the generated type, with the same keys:
// a field added to the operation without updating the schema fails `tsc`.
type Literal<T> = T extends string
  ? `${T}`
  : T extends (infer U)[]
    ? Literal<U>[]
    : T extends object
      ? { [K in keyof T]: Literal<T[K]> }
      : T;
type Accepts<Wide, Narrow extends Wide> = Narrow;
export type InvitePayloadSchemaAcceptsGenerated = Accepts<ParsedInvitePayload, Literal<InvitePayload>>;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
export const invitePayloadKeysMatch: SameKeys<ParsedInvitePayload, InvitePayload> = true;
export const inviteCustomerKeysMatch: SameKeys<
  NonNullable<ParsedInvitePayload["customer"]>,
  NonNullable<InvitePayload["customer"]>
> = true;

/**
 * The answer of a batch: each alias's payload, or null for an alias Shopify returned no payload for
 * (an error inside Shopify for that one mutation: whether it ran is not known).
 */
export function parseInviteBatchData(data: unknown, size: number): (ParsedInvitePayload | null)[] {
  const record = z.record(z.string(), z.unknown()).parse(data);
  const payloads: (ParsedInvitePayload | null)[] = [];
  for (let index = 0; index < size; index++) {
    const value = record[aliasFor(index)];
    payloads.push(value === null || value === undefined ? null : invitePayloadSchema.parse(value));
  }
  return payloads;
}
