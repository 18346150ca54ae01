// The time as the app's request-time code reads it where an hour matters (activation-link exports are
// held for one): one object, so a test can move it (`vi.spyOn(appClock, "now")`) without faking Date for
// the Shopify library, whose session tokens and access tokens must keep real time. The worker takes its
// clock as an option (WorkerOptions.now).
export const appClock = {
  now(): Date {
    return new Date();
  },
};
