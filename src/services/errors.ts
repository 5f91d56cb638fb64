/**
 * A request a use case refuses because of what it was given (an id that names nothing, a month
 * that has not ended): the caller's mistake, not a failure. The CLI maps it to exit 2 with the
 * message on stderr, exactly like a bad argument; nothing has been written when it is thrown.
 */
export class InputError extends Error {
  override name = "InputError";
}
