import type { LoginError } from "@shopify/shopify-app-remix/server";
import { LoginErrorType } from "@shopify/shopify-app-remix/server";
import { strings } from "~/strings";

export function loginErrorMessage(loginErrors: LoginError): { shop?: string } {
  if (loginErrors?.shop === LoginErrorType.MissingShop) return { shop: strings.login.missingShop };
  if (loginErrors?.shop === LoginErrorType.InvalidShop) return { shop: strings.login.invalidShop };
  return {};
}
