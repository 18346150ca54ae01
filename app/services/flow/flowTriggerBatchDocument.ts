import { Kind, parse, print, type FieldNode, type OperationDefinitionNode } from "graphql";
import { z } from "zod";
import { FlowTriggerReceiveMutation } from "~/graphql/FlowTriggerReceiveMutation";
import type { FlowTriggerReceiveMutation as TriggerResult } from "~/types/admin.generated";

// Several trigger events in one request, generated from the one typed operation FlowTriggerReceiveMutation
// the way the invite batch is (app/services/sending/inviteBatchDocument.ts): its field, with its exact
// selection, repeated as `t0`, `t1`, … with one `$pN: JSON!` payload each and the shared `$handle`.
// test/graphql/flowTriggerBatchDocument.test.ts validates generated documents against Shopify's schema.

export type TriggerPayloadResult = NonNullable<TriggerResult["flowTriggerReceive"]>;

const operation = parse(FlowTriggerReceiveMutation).definitions.find(
  (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
);
const [template] = operation?.selectionSet.selections ?? [];
const handleVariable = operation?.variableDefinitions?.find((v) => v.variable.name.value === "handle");
const payloadVariable = operation?.variableDefinitions?.find((v) => v.variable.name.value === "payload");
if (!operation || template?.kind !== Kind.FIELD || !handleVariable || !payloadVariable)
  throw new Error("FlowTriggerReceiveMutation must hold one flowTriggerReceive($handle, $payload) field");

export const TRIGGER_BATCH_OPERATION_NAME = "FlowTriggerReceiveBatch";
export const triggerAliasFor = (index: number) => `t${index}`;
const payloadVariableFor = (index: number) => `p${index}`;

function aliased(field: FieldNode, index: number): FieldNode {
  return {
    ...field,
    alias: { kind: Kind.NAME, value: triggerAliasFor(index) },
    arguments: (field.arguments ?? []).map((argument) =>
      argument.name.value === "payload"
        ? {
            ...argument,
            value: { kind: Kind.VARIABLE, name: { kind: Kind.NAME, value: payloadVariableFor(index) } },
          }
        : argument,
    ),
  };
}

const documents = new Map<number, string>();

export function flowTriggerBatchDocument(size: number): string {
  if (!Number.isInteger(size) || size < 1) throw new Error(`invalid batch size ${size}`);
  const cached = documents.get(size);
  if (cached) return cached;
  const field = template as FieldNode;
  const document = print({
    kind: Kind.DOCUMENT,
    definitions: [
      {
        ...operation!,
        name: { kind: Kind.NAME, value: TRIGGER_BATCH_OPERATION_NAME },
        variableDefinitions: [
          handleVariable!,
          ...Array.from({ length: size }, (_, index) => ({
            ...payloadVariable!,
            variable: {
              kind: Kind.VARIABLE as const,
              name: { kind: Kind.NAME as const, value: payloadVariableFor(index) },
            },
          })),
        ],
        selectionSet: {
          kind: Kind.SELECTION_SET,
          selections: Array.from({ length: size }, (_, index) => aliased(field, index)),
        },
      },
    ],
  });
  documents.set(size, document);
  return document;
}

export function flowTriggerBatchVariables(handle: string, payloads: unknown[]): Record<string, unknown> {
  const variables: Record<string, unknown> = { handle };
  payloads.forEach((payload, index) => {
    variables[payloadVariableFor(index)] = payload;
  });
  return variables;
}

const resultSchema = z.object({
  userErrors: z.array(z.object({ field: z.array(z.string()).nullish(), message: z.string() })),
});
type ParsedResult = z.infer<typeof resultSchema>;
type SameKeys<A, B> = [keyof A] extends [keyof B] ? ([keyof B] extends [keyof A] ? true : false) : false;
export const triggerResultKeysMatch: SameKeys<ParsedResult, TriggerPayloadResult> = true;

/** Each alias's result, or null when Shopify gave none for it (whether it ran is not known). */
export function parseFlowTriggerBatchData(data: unknown, size: number): (ParsedResult | null)[] {
  const record = z.record(z.string(), z.unknown()).parse(data);
  return Array.from({ length: size }, (_, index) => {
    const value = record[triggerAliasFor(index)];
    return value === null || value === undefined ? null : resultSchema.parse(value);
  });
}
