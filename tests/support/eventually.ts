/** Polls `read` until `ok` holds (eventually consistent read models, background delivery), or fails with the last value. */
export async function eventually<T>(read: () => Promise<T> | T, ok: (value: T) => boolean = Boolean, timeoutMs = 10_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() - started > timeoutMs) throw new Error(`not reached in ${timeoutMs} ms: ${JSON.stringify(value)?.slice(0, 300)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
