/**
 * The `default` of a switch that covers every case of a union: the compiler refuses the call while a
 * case is missing (the value left is not `never`). At run time a value outside the union is handed
 * back as it is.
 */
export function exhaustive(value: never): never {
  return value;
}
