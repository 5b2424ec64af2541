export interface CampaignsTable {
  id: string;
  org_id: string;
  name: string;
  description: string | null;
  /** YYYY-MM-DD in the org's calendar, or null for open-ended. */
  starts_on: string | null;
  ends_on: string | null;
  created_at: string;
  updated_at: string;
}

/** A post the campaign groups (posts belong to src/publishing; this is only the link). */
export interface CampaignPostsTable {
  org_id: string;
  campaign_id: string;
  post_id: string;
  added_at: string;
}

export interface CampaignsTables {
  campaigns: CampaignsTable;
  campaign_posts: CampaignPostsTable;
}
