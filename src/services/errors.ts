/** A domain error about what the caller asked (an unknown id, a missing reason): the CLI exits 2, nothing written. */
export class InputError extends Error {
  override name = "InputError";
}
