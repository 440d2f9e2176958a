/** Long enough that reaching it means the thing waited for is hung, not slow: tests never race a stopwatch. */
export const HUNG_MS = 60_000;

/**
 * Waits for something the server does in its own time (a projection catching up, the
 * reconciler's next pass): polls `read` until `done` holds and returns that value. It gives
 * up only after `hungMs`, with the last value read, so a slow machine is never a failure.
 */
export async function eventually<T>(
  read: () => Promise<T>,
  done: (value: T) => boolean,
  what: string,
  hungMs = HUNG_MS,
): Promise<T> {
  const deadline = Date.now() + hungMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline)
      throw new Error(`${what}: still not so after ${hungMs} ms; last read ${JSON.stringify(value).slice(0, 500)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
