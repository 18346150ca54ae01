import type { AppProviderProps } from "@shopify/polaris";
import en from "@shopify/polaris/locales/en.json";
import fr from "@shopify/polaris/locales/fr.json";
import type { AppLocale } from "~/i18n/locales";

// Polaris' own words (pagination, filters, loading labels) in the app's language, for its AppProvider.
export const polarisTranslations: Record<AppLocale, AppProviderProps["i18n"]> = { en, fr };
