export interface TeamGroupsTable {
  id: string;
  org_id: string;
  name: string;
  description: string;
  created_by: string | null;
  created_at: string;
}

export interface TeamGroupMembersTable {
  org_id: string;
  group_id: string;
  user_id: string;
  joined_at: string;
}

export interface TeamPostsTable {
  id: string;
  org_id: string;
  author_user_id: string | null;
  /** Null: posted to the whole org. */
  group_id: string | null;
  text: string;
  /** Set when posted through the connector's publish, so a retry finds the first post. */
  idempotency_key: string | null;
  created_at: string;
}

export interface TeamPostMentionsTable {
  org_id: string;
  post_id: string;
  user_id: string;
}

export interface TeamAttachmentsTable {
  id: string;
  org_id: string;
  post_id: string;
  name: string;
  content_type: string;
  size: number;
  data: Buffer;
}

export interface TeamFeedTables {
  team_groups: TeamGroupsTable;
  team_group_members: TeamGroupMembersTable;
  team_posts: TeamPostsTable;
  team_post_mentions: TeamPostMentionsTable;
  team_attachments: TeamAttachmentsTable;
}
