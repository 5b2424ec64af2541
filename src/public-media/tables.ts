/**
 * Copies of post images served at public addresses (`GET /m/<key>`) for networks that fetch an
 * image themselves (Instagram, Threads, LINE). One row per org and image content; kept a retention
 * period after it was last handed to a network, then pruned.
 */
export interface PublicMediaTable {
  /** The address's last segment: an HMAC of the org and the image's SHA-256 under the instance's secret key (keys.ts). */
  key: string;
  org_id: string;
  /** SHA-256 of the bytes, hex. */
  sha256: string;
  mime_type: string;
  bytes: number;
  /** The image, base64 (as post_media keeps it: the same text on SQLite and PostgreSQL). */
  data: string;
  created_at: string;
  /** Served until then; pruned after. */
  expires_at: string;
}

export interface PublicMediaTables {
  public_media: PublicMediaTable;
}
