import { ViciBreaker, ViciUnavailableError } from "../src/vici";

/** The circuit breaker's cooldown, as a caller that must wait for VICIdial's next trial sees it. */
it("cooledDown() waits out an open circuit's cooldown: the next call is the trial", async () => {
  const breaker = new ViciBreaker({ failures: 2, cooldownMs: 50 });
  await breaker.cooledDown(); // closed: at once
  expect(breaker.admit()).toBe(false);
  breaker.settle(false, false);
  breaker.settle(false, false); // the second failure in a row opens it
  expect(() => breaker.admit()).toThrow(ViciUnavailableError);
  await breaker.cooledDown();
  expect(breaker.admit()).toBe(true);
  breaker.settle(true, true);
  expect(breaker.isOpen).toBe(false);
});
