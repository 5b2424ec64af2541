/** Shapes of the accounts and teams API: the server's own (core/api/), under the names the app uses. */
import type { ApiTokenView, SessionAnswer, UserView } from '@core/api/accounts.js';
import type { AuditEventView, InvitationPreview, InvitationView, MemberView, OrgView } from '@core/api/teams.js';

export { LOCALES, ROLES, type Locale, type Role } from '@core/api/vocabulary.js';

export type User = UserView;
export type Org = OrgView;
export type Session = SessionAnswer;
export type Member = MemberView;
export type Invitation = InvitationView;
export type { InvitationPreview };
export type ApiToken = ApiTokenView;
export type AuditEvent = AuditEventView;
