import type { CampaignReport, CampaignView } from '@core/api/campaigns.js';
import { request, segment } from './client.js';

/** Campaigns (docs/crm.md): the server's own answers (core/api/campaigns.ts). */
export type Campaign = CampaignView;
export type { CampaignReport };

export interface NewCampaign {
  name: string;
  description?: string | null;
  startsOn?: string | null;
  endsOn?: string | null;
}

const campaigns = (orgId: string) => `/api/orgs/${segment(orgId)}/campaigns`;

export const listCampaigns = (orgId: string) => request<{ campaigns: Campaign[] }>('GET', campaigns(orgId)).then((r) => r.campaigns);
export const getCampaign = (orgId: string, campaignId: string) =>
  request<{ campaign: Campaign; report: CampaignReport }>('GET', `${campaigns(orgId)}/${segment(campaignId)}`);
export const createCampaign = (orgId: string, input: NewCampaign, idempotencyKey: string) =>
  request<{ campaign: Campaign }>('POST', campaigns(orgId), input, { idempotencyKey }).then((r) => r.campaign);
export const deleteCampaign = (orgId: string, campaignId: string) => request<void>('DELETE', `${campaigns(orgId)}/${segment(campaignId)}`);
