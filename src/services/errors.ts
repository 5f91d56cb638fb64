/**
 * A domain error caused by what the user gave (a file, a month, a flag): a CLI prints it and exits
 * with 2, and nothing was written.
 */
export class InputError extends Error {
  override name = "InputError";
}
