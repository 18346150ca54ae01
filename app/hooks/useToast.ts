import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect, useRef } from "react";

// The one helper for outcome toasts (App Bridge): shows `message` once per new action result.
export function useResultToast(result: unknown, message: string | null, isError = false) {
  const shopify = useAppBridge();
  const shown = useRef<unknown>(null);
  useEffect(() => {
    if (!result || !message || shown.current === result) return;
    shown.current = result;
    shopify.toast.show(message, { isError });
  }, [result, message, isError, shopify]);
}
