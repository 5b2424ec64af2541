// The server keeps only a hash of each invitation token, so a link can be copied again only in
// the tab that created it; kept in memory, never persisted.
const links = new Map<string, string>();

export const rememberInvitationLink = (invitationId: string, url: string): void => void links.set(invitationId, url);

export const invitationLink = (invitationId: string): string | undefined => links.get(invitationId);
