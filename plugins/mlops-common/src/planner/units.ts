/** Bytes of one GiB. @public */
export const GIB = 1024 ** 3;
/** Bytes of one MiB. */
export const MIB = 1024 ** 2;

/**
 * A quantity with the uncertainty of its terms. For memory terms low ≤ middle ≤ high; for KV
 * tokens and concurrency, low is what is left when every memory term is at its high end.
 * @public
 */
export interface Range {
  low: number;
  middle: number;
  high: number;
}

/** A whole number with thousands separators, independent of the locale. */
export function fmt(n: number): string {
  return Math.round(n)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Bytes as GiB with two decimals. */
export function gib(bytes: number): string {
  return `${(bytes / GIB).toFixed(2)} GiB`;
}
