import { z } from 'zod';

/** Response shapes of campaigns (src/campaigns). */

export const CampaignView = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string().nullable(),
  startsOn: z.string().nullable(),
  endsOn: z.string().nullable(),
  postCount: z.number().int(),
  formCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CampaignView = z.infer<typeof CampaignView>;

/** What a campaign produced. */
export const CampaignReport = z.object({
  posts: z.array(z.object({ id: z.string(), text: z.string(), status: z.string(), dueAt: z.string().nullable() })),
  forms: z.array(z.object({ id: z.string(), name: z.string(), submissionCount: z.number().int() })),
  submissions: z.number().int(),
  /** Contacts made by a submission to one of the campaign's forms, by their stage today. */
  newContactsByStage: z.array(z.object({ stage: z.string(), count: z.number().int() })),
  /**
   * Inbox conversations opened by a reply to one of the campaign's published posts, within its
   * dates (UTC days; open-ended where unset).
   */
  conversations: z.number().int(),
  /** Short-link clicks on its posts' links or tagged with its name; crawlers apart. */
  clicks: z.object({ human: z.number().int(), bot: z.number().int() }),
});
export type CampaignReport = z.infer<typeof CampaignReport>;
