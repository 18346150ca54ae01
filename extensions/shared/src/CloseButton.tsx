import type { I18n } from "@shopify/ui-extensions/admin";

// Every admin action dialog's way out; `close` is in each extension's locale files.

/** The dialog's secondary "Close" button. */
export function CloseButton({ i18n, close }: { i18n: I18n; close: () => void }) {
  return (
    <s-button slot="secondary-actions" onClick={() => close()}>
      {i18n.translate("close")}
    </s-button>
  );
}
