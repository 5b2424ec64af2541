import { z } from 'zod';
import { STREAM_KINDS } from './connector.js';

export const ChannelParams = z.strictObject({ orgId: z.string(), channelId: z.string().min(1).max(100) });
export const ConnectChannelBody = z.strictObject({
  network: z.string().min(1).max(40),
  /** Checked against the network's own schema in the service, so its messages name the network. */
  credentials: z.record(z.string(), z.unknown()).default({}),
});
export const ReconnectChannelBody = z.strictObject({ credentials: z.record(z.string(), z.unknown()).default({}) });
export const StreamQuery = z.strictObject({
  kind: z.enum(STREAM_KINDS),
  target: z.string().max(2048).optional(),
  /** The list convention (docs/api.md#pagination): `nextCursor` of the previous page. */
  before: z.string().max(2048).optional(),
  /** The old name of `before`, accepted for one release. */
  cursor: z.string().max(2048).optional(),
  pollState: z.string().max(4096).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
