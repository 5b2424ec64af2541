import { ROLES, type Role } from './api/vocabulary.js';

/**
 * All authorization in one place: each permission names the least role that holds it.
 * A route declares the permission it needs (`config.permission`); the org-scope hook checks it,
 * so no handler compares roles by hand. New modules add their permissions here.
 */
export const PERMISSIONS = {
  'org.read': 'viewer',
  'org.update': 'admin',
  'org.delete': 'owner',
  /** Org-wide sign-in rules: requiring two-factor sign-in of every member. */
  'org.security': 'owner',
  'members.read': 'viewer',
  'members.manage': 'admin',
  /** See which members sign in with two factors (the weaker accounts are not everyone's business). */
  'members.two_factor.read': 'admin',
  'audit.read': 'admin',
  'channels.read': 'viewer',
  'channels.manage': 'admin',
  /** The internal team feed: every member reads, posts and joins groups. */
  'team_feed.use': 'viewer',
  'org.export': 'owner',
  'posts.read': 'viewer',
  /** Write drafts and submit them for approval. */
  'posts.write': 'editor',
  /** Schedule or publish without approval, approve or reject others' posts. */
  'posts.publish': 'admin',
  'streams.read': 'viewer',
  /** Own boards and columns, item state and actions (like, repost, assign). */
  'streams.write': 'editor',
  /** Org-wide stream settings (retention). */
  'streams.manage': 'admin',
  'webhooks.manage': 'admin',
  'contacts.read': 'viewer',
  /** Contacts, their identities, tags and notes (deleting another's note takes an admin). */
  'contacts.write': 'editor',
  'inbox.read': 'viewer',
  /** Assign, tag, close and reply to conversations; own saved views. */
  'inbox.write': 'editor',
  /** The org's SLA and automatic contacts. */
  'inbox.manage': 'admin',
  /** Reports, charts and the short links list. */
  'analytics.read': 'viewer',
  /** Make short links (the composer does when a post is written). */
  'links.write': 'editor',
  /** Shortening by default, UTM parameters, the reports' time zone. */
  'analytics.manage': 'admin',
  /** Lifecycle stages, lead scoring rules and custom fields of contacts. */
  'crm.settings': 'admin',
  'forms.read': 'viewer',
  /** Build and change lead capture forms. */
  'forms.write': 'editor',
  'campaigns.read': 'viewer',
  'campaigns.write': 'editor',
} as const satisfies Record<string, Role>;

export type Permission = keyof typeof PERMISSIONS;

const rank = (role: Role): number => ROLES.length - ROLES.indexOf(role);

export const roleAtLeast = (role: Role, least: Role): boolean => rank(role) >= rank(least);

export const can = (role: Role, permission: Permission): boolean => roleAtLeast(role, PERMISSIONS[permission]);

/** Only an owner may hand out or take away ownership; admins manage admins and below. */
export const canAssignRole = (actor: Role, target: Role): boolean => (target === 'owner' ? actor === 'owner' : roleAtLeast(actor, 'admin'));

/** A board is its owner's; a shared board may also be changed by admins (someone must tidy the team's boards). */
export const canEditBoard = (actor: { userId: string; role: Role }, board: { ownerUserId: string; shared: boolean }): boolean =>
  board.ownerUserId === actor.userId || (board.shared && roleAtLeast(actor.role, 'admin'));

/** A note on a contact is its author's; admins may remove anyone's (a note can be wrong or hurtful). */
export const canDeleteContactNote = (actor: { userId: string; role: Role }, note: { authorUserId: string | null }): boolean =>
  note.authorUserId === actor.userId || roleAtLeast(actor.role, 'admin');

export const isPermission = (value: unknown): value is Permission => typeof value === 'string' && value in PERMISSIONS;
