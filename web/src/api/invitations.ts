import { request, segment } from './client.js';
import { remembered } from './session.js';
import type { InvitationPreview, Org, Session } from './types.js';

const invitation = (token: string) => `/api/invitations/${segment(token)}`;

export const previewInvitation = (token: string) => request<{ invitation: InvitationPreview }>('GET', invitation(token));

export const acceptInvitation = (token: string) => request<{ org: Org }>('POST', `${invitation(token)}/accept`);

export async function signUpFromInvitation(token: string, input: { name: string; email: string; password: string }): Promise<Session> {
  return remembered(await request<Session>('POST', `${invitation(token)}/signup`, input));
}
