import { afterEach, beforeEach, expect, vi } from "vitest";

// As in the app's tests (test/setup.ts): an unexpected console.error fails the test.
let consoleError: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  consoleError = vi.spyOn(console, "error");
});

afterEach(() => {
  expect(consoleError, "unexpected console.error").not.toHaveBeenCalled();
});
