import type { LoginError } from "@shopify/shopify-app-remix/server";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { message, type Message } from "~/i18n/message";

export function loginErrorMessage(loginErrors: LoginError): { shop?: Message } {
  if (loginErrors?.shop === LoginErrorType.MissingShop) return { shop: message("login.missingShop") };
  if (loginErrors?.shop === LoginErrorType.InvalidShop) return { shop: message("login.invalidShop") };
  return {};
}
