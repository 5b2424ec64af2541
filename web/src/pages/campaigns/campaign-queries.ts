/** Query keys of the campaigns pages. */
export const campaignsKey = (orgId: string) => ['org', orgId, 'campaigns'] as const;
export const campaignKey = (orgId: string, campaignId: string) => [...campaignsKey(orgId), 'one', campaignId] as const;
