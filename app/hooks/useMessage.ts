import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { reasonMessage, type FieldMessages, type Message } from "~/i18n/message";

// Loaders and actions answer with messages as data (app/i18n/message.ts): a key and its values, or a
// ledger code with its parameters (JSON). Pages render them here, in the page's language.

/** A message from a response whose shape the types do not know (a fetch's JSON, an error's data). */
export function isMessage(value: unknown): value is Message {
  return (
    typeof value === "object" &&
    value !== null &&
    "key" in value &&
    typeof value.key === "string" &&
    (!("values" in value) ||
      value.values === undefined ||
      (typeof value.values === "object" && value.values !== null))
  );
}

export function useMessage() {
  const { t } = useTranslation();
  return useMemo(() => {
    const text = (item: Message): string => t(item.key, item.values ?? {});
    return {
      /** A message in the page's language. */
      text,
      /** Why a recipient was skipped or failed (`reasonCode`, `reasonParams`); "" without a code. */
      reasonText: (code: string | null | undefined, params?: string | null): string =>
        code ? text(reasonMessage(code, params)) : "",
      /** Why a campaign stopped (`failureCode`, `failureParams`): `campaignStops.<code>`. */
      failureText: (code: string | null | undefined, params?: string | null): string =>
        // reasonMessage reads the parameters' JSON as the ledger stores it.
        code ? text({ key: `campaignStops.${code}`, values: reasonMessage(code, params).values }) : "",
      /** The first of `fields` with an error (a form's field map, as actions answer 400), for `error=`. */
      fieldError: (errors: FieldMessages | null | undefined, ...fields: string[]): string | undefined => {
        const found = fields.map((field) => errors?.[field]).find((item) => item !== undefined);
        return found ? text(found) : undefined;
      },
    };
  }, [t]);
}
