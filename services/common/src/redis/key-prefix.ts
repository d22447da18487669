/** Checks a key prefix such as `product` or `user:login`, naming the class that got it. */
export function checkPrefix(owner: string, prefix: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9:._-]{0,63}$/.test(prefix)) {
    throw new RangeError(
      `${owner}: prefix must be 1-64 characters A-Z, a-z, 0-9, ":", ".", "_", "-" (got ${JSON.stringify(prefix)})`,
    );
  }
  return prefix;
}
