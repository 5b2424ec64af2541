/**
 * A file size as people read it, in decimal units as the networks state their limits: a 4 KB photo
 * is not "0.00 MB", and LINE's 1 000 000-byte limit reads as 1.0 MB, not 0.95.
 */
export function sizeLabel(bytes: number): string {
  // From 999 950 bytes up, "1000 KB" would read oddly.
  if (bytes >= 999_950) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1000) return `${Math.round(bytes / 1000)} KB`;
  return `${bytes} B`;
}
