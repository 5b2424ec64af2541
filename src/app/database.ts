import type { AccountsTables } from '../accounts/tables.js';
import type { AnalyticsTables } from '../analytics/tables.js';
import type { CampaignsTables } from '../campaigns/tables.js';
import type { FormsTables } from '../forms/tables.js';
import type { ChannelsTables } from '../channels/tables.js';
import type { CrmTables } from '../crm/tables.js';
import type { IdempotencyTables } from '../idempotency/tables.js';
import type { InboxTables } from '../inbox/tables.js';
import type { LineTables } from '../channels/line/tables.js';
import type { MetaTables } from '../channels/facebook/tables.js';
import type { NotificationsTables } from '../notifications/tables.js';
import type { StatusTables } from '../ops/status/tables.js';
import type { PublishingTables } from '../publishing/tables.js';
import type { PublicMediaTables } from '../public-media/tables.js';
import type { StreamsTables } from '../streams/tables.js';
import type { TeamFeedTables } from '../team-feed/tables.js';
import type { TeamsTables } from '../teams/tables.js';

// The whole schema as Kysely sees it, assembled here: each module contributes its own tables to
// the store's (otherwise empty) Database type, so the store itself names no module.
declare module '../store/database.js' {
  interface Database
    extends
      AccountsTables,
      TeamsTables,
      PublishingTables,
      ChannelsTables,
      TeamFeedTables,
      StatusTables,
      NotificationsTables,
      StreamsTables,
      CrmTables,
      IdempotencyTables,
      InboxTables,
      LineTables,
      MetaTables,
      AnalyticsTables,
      FormsTables,
      CampaignsTables,
      PublicMediaTables {}
}
