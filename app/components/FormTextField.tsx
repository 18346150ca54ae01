import { TextField } from "@shopify/polaris";
import type { ComponentProps } from "react";
import { useMessage } from "~/hooks/useMessage";
import type { FieldMessages } from "~/i18n/message";

type TextFieldProps = ComponentProps<typeof TextField>;

/**
 * A text field of a page's form: no browser autocomplete, and as its error the action's message for the
 * first of `errorFields` (by default its `name`) that has one.
 */
export function FormTextField({
  errors,
  errorFields,
  ...props
}: Omit<TextFieldProps, "autoComplete" | "error"> & {
  errors?: FieldMessages | null;
  errorFields?: string[];
}) {
  const { fieldError } = useMessage();
  const fields = errorFields ?? (props.name ? [props.name] : []);
  return (
    <TextField {...(props as TextFieldProps)} autoComplete="off" error={fieldError(errors, ...fields)} />
  );
}
