/** `3 calls`, `1 call`, `1,000,000 calls`: a count and its noun. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? one : many}`;
}
