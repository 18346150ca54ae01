// Every merchant-facing string of the app's pages, in one place so the app can be translated.
export const strings = {
  appName: "Account Invites",
  landing: {
    tagline:
      "Invite imported and migrated customers to activate their accounts, in bulk, within your store's API limits, with a record of every invite.",
  },
  login: {
    title: "Log in",
    shopDomainLabel: "Shop domain",
    submit: "Log in",
    missingShop: "Please enter your shop domain to log in",
    invalidShop: "Please enter a valid shop domain to log in",
  },
  nav: {
    home: "Overview",
  },
  overview: {
    title: "Overview",
    shopHeading: "Your store",
    accountsHeading: "Customer accounts",
    classic: {
      badge: "Legacy customer accounts",
      body: "Your store uses legacy customer accounts: customers need an activated account to log in. Account Invites sends Shopify's account invite emails and activation links, in bulk, and keeps their history.",
    },
    newAccounts: {
      badge: "New customer accounts",
      title: "Account invites do not apply to your store",
      body: "Your store uses new customer accounts, where customers log in with a one-time code sent to their email. There is no account to activate, so Shopify does not send account invites or activation links for these stores. Your customers can already log in with their email address.",
    },
    unknown: {
      badge: "Unknown",
      body: "Shopify did not tell us which customer accounts your store uses.",
    },
  },
  /** Why a customer was not sent an invite, or why a send failed: shown per customer and in summaries. */
  reasons: {
    ACCOUNT_ENABLED: "Already has an account.",
    DECLINED: "Declined an earlier invite. Include customers who declined to invite them again.",
    NO_EMAIL: "Has no email address.",
    INVITED_RECENTLY: "Was sent an invite in the last {hours} hours.",
    NEW_CUSTOMER_ACCOUNTS:
      "Your store uses new customer accounts: customers log in with a one-time code, so there is no account to activate.",
    NOT_FOUND: "Customer not found. They may have been deleted.",
    SHOPIFY_ERROR: "Shopify did not send the invite.",
    RETRIES_EXHAUSTED: "Shopify could not be reached after several attempts; the invite was not sent.",
    UNCERTAIN:
      "The app stopped while sending; this invite may or may not have gone out. Check the customer before sending again.",
    CANCELLED: "The campaign was cancelled before this invite was sent.",
  },
  errors: {
    title: "Something went wrong",
    body: "The page could not be loaded. Reload it; if this keeps happening, contact support with the time it happened.",
  },
} as const;
