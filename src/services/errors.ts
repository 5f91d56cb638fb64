/**
 * A request the data cannot answer as asked (an unknown or ambiguous name, an id that names
 * nothing): the caller's input is wrong, not the system. The CLI prints it and exits 2; nothing
 * is written.
 */
export class InputError extends Error {
  override name = "InputError";
}
