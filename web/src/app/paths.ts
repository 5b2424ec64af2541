/** Only same-site paths may be a post-sign-in destination (no open redirect via ?next=). */
export function safeNext(next: string | null): string | null {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : null;
}

export const orgPath = (orgId: string, page: string): string => `/orgs/${encodeURIComponent(orgId)}/${page}`;

export const contactPath = (orgId: string, contactId: string): string => orgPath(orgId, `contacts/${encodeURIComponent(contactId)}`);

export const campaignPath = (orgId: string, campaignId: string): string => orgPath(orgId, `campaigns/${encodeURIComponent(campaignId)}`);

/** The inbox showing only the conversations the campaign's posts opened, whatever their status (as the campaign counts them). */
export const campaignConversationsPath = (orgId: string, campaignId: string): string => `${orgPath(orgId, 'inbox')}?campaign=${encodeURIComponent(campaignId)}`;

export const conversationPath = (orgId: string, conversationId: string): string =>
  `${orgPath(orgId, 'inbox')}?conversation=${encodeURIComponent(conversationId)}`;
