/**
 * A disposable stack: each resource is registered with its close as soon as it is opened, and
 * `close()` unwinds them in reverse order. A start-up that fails half-way closes exactly what it
 * opened; shutdown closes everything once. (Node 20 has no DisposableStack yet.)
 */
export class Resources {
  readonly #stack: { name: string; close: () => Promise<void> | void }[] = [];
  #closing: Promise<Error[]> | undefined;

  /** Registers `resource` to be closed by `close()`, and returns it. */
  add<T>(name: string, resource: T, close: (r: T) => unknown): T {
    this.#stack.push({
      name,
      close: async () => {
        await close(resource);
      },
    });
    return resource;
  }

  /** Registers a step of shutdown that is not a resource (for example "let active jobs finish"). */
  defer(name: string, close: () => unknown): void {
    this.#stack.push({
      name,
      close: async () => {
        await close();
      },
    });
  }

  /**
   * Closes everything in reverse order of opening, once; a close that fails does not stop the
   * others. Resolves to the failures (named), so the caller decides whether to log them.
   */
  close(): Promise<Error[]> {
    this.#closing ??= (async () => {
      const failures: Error[] = [];
      for (const { name, close } of this.#stack.splice(0).reverse()) {
        try {
          await close();
        } catch (err) {
          failures.push(
            new Error(`closing ${name}: ${err instanceof Error ? err.message : String(err)}`, { cause: err }),
          );
        }
      }
      return failures;
    })();
    return this.#closing;
  }
}

/** Runs `open` with a fresh stack; if it throws, closes what it opened and rethrows. */
export async function opening<T>(open: (res: Resources) => Promise<T>): Promise<{ value: T; resources: Resources }> {
  const resources = new Resources();
  try {
    return { value: await open(resources), resources };
  } catch (err) {
    await resources.close();
    throw err;
  }
}
