import type { Database } from '../../src/store/database.js';
import type { Person } from '../support/api-client.js';

/** A create request, ready to send: everything it needs (a channel, a board, a contact) already exists. */
export interface PreparedCreate {
  url: string;
  body: unknown;
}

export interface CreateRoute {
  name: string;
  /** The table the create writes its row(s) to. */
  table: keyof Database;
  /** The table whose write commits the create, when not `table` (an update in place). */
  watch?: keyof Database;
  /** Rows one request adds to `table`. */
  rows: number;
  /** The status a successful create answers. */
  status: number;
  prepare(person: Person): Promise<PreparedCreate>;
}

const org = (person: Person) => `/api/orgs/${person.orgId}`;
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, ...Array.from({ length: 64 }, (_, i) => (i * 7) % 256)]);

async function created(person: Person, url: string, body: unknown): Promise<any> {
  const response = await person.client.post(url, body);
  if (response.status !== 201) throw new Error(`setup ${url} answered ${response.status} ${response.raw}`);
  return response.body;
}

/** Chorus's own team feed as a channel: connecting it asks no outside network. */
export const teamChannel = async (person: Person): Promise<string> =>
  (await created(person, `${org(person)}/channels`, { network: 'team', credentials: {} })).channel.id;

/** Every create route that takes an Idempotency-Key, against the real modules (no scripted directory). */
export const CREATE_ROUTES: CreateRoute[] = [
  {
    name: 'a post, published now',
    table: 'posts',
    rows: 1,
    status: 201,
    prepare: async (person) => ({
      url: `${org(person)}/posts`,
      body: { text: 'Doors open at nine', channelAccountIds: [await teamChannel(person)], action: 'publish_now' },
    }),
  },
  {
    name: 'a repeating post',
    table: 'posts',
    rows: 3,
    status: 201,
    prepare: async (person) => ({
      url: `${org(person)}/posts`,
      body: {
        text: 'Weekly stand-up',
        channelAccountIds: [await teamChannel(person)],
        action: 'schedule',
        scheduledAt: { local: '2099-01-05T09:00', timeZone: 'Asia/Tokyo' },
        repeat: { every: 'week', count: 3 },
      },
    }),
  },
  {
    name: 'a draft, published now in place',
    table: 'audit_events',
    watch: 'posts',
    rows: 1,
    status: 200,
    prepare: async (person) => {
      const draft = await created(person, `${org(person)}/posts`, { text: 'Draft first', channelAccountIds: [await teamChannel(person)], action: 'draft' });
      return { url: `${org(person)}/posts/${draft.post.id}/schedule`, body: { action: 'publish_now' } };
    },
  },
  {
    name: 'posts from a CSV',
    table: 'posts',
    rows: 2,
    status: 200,
    prepare: async (person) => {
      const channelId = await teamChannel(person);
      return {
        url: `${org(person)}/posts/bulk`,
        body: { csv: `account,time,text\n${channelId},2099-01-02 09:00,One\n${channelId},2099-01-03 09:00,Two`, timeZone: 'UTC' },
      };
    },
  },
  {
    name: 'contacts from a CSV',
    table: 'contacts',
    rows: 2,
    status: 200,
    prepare: async (person) => ({
      url: `${org(person)}/contacts/import`,
      body: { csv: 'Name,Email\nKenji Ito,kenji@example.org\nYuki Abe,yuki@example.org', mode: 'import' },
    }),
  },
  {
    name: 'an image',
    table: 'post_media',
    rows: 1,
    status: 201,
    prepare: async (person) => ({ url: `${org(person)}/media`, body: { mimeType: 'image/png', dataBase64: PNG.toString('base64'), alt: 'A red mug' } }),
  },
  {
    name: 'a channel',
    table: 'channel_accounts',
    rows: 1,
    status: 201,
    prepare: async (person) => ({ url: `${org(person)}/channels`, body: { network: 'team', credentials: {} } }),
  },
  {
    name: 'a board',
    table: 'boards',
    rows: 1,
    status: 201,
    prepare: async (person) => ({ url: `${org(person)}/boards`, body: { name: 'Launch week' } }),
  },
  {
    name: 'a column',
    table: 'stream_columns',
    rows: 1,
    status: 201,
    prepare: async (person) => {
      const channelId = await teamChannel(person);
      const board = await created(person, `${org(person)}/boards`, { name: 'Team' });
      return { url: `${org(person)}/boards/${board.board.id}/columns`, body: { kind: 'team', channelAccountId: channelId } };
    },
  },
  {
    name: 'a contact',
    table: 'contacts',
    rows: 1,
    status: 201,
    prepare: async (person) => ({
      url: `${org(person)}/contacts`,
      body: { displayName: 'Aiko Tanaka', identities: [{ network: 'bluesky', handle: '@aiko.bsky.social' }] },
    }),
  },
  {
    name: "a contact's identity",
    table: 'contact_identities',
    rows: 1,
    status: 201,
    prepare: async (person) => {
      const contact = await created(person, `${org(person)}/contacts`, { displayName: 'Ben' });
      return { url: `${org(person)}/contacts/${contact.contact.id}/identities`, body: { network: 'mastodon', handle: '@ben@example.social' } };
    },
  },
  {
    name: 'a contact note',
    table: 'contact_notes',
    rows: 1,
    status: 201,
    prepare: async (person) => {
      const contact = await created(person, `${org(person)}/contacts`, { displayName: 'Chika' });
      return { url: `${org(person)}/contacts/${contact.contact.id}/notes`, body: { body: 'Prefers email' } };
    },
  },
  {
    name: 'a team-feed post',
    table: 'team_posts',
    rows: 1,
    status: 201,
    prepare: async (person) => ({ url: `${org(person)}/team-feed/posts`, body: { text: 'Lunch at noon' } }),
  },
  {
    name: 'a team-feed group',
    table: 'team_groups',
    rows: 1,
    status: 201,
    prepare: async (person) => ({ url: `${org(person)}/team-feed/groups`, body: { name: 'Design' } }),
  },
  {
    name: 'a webhook',
    table: 'webhook_endpoints',
    rows: 1,
    status: 201,
    prepare: async (person) => ({ url: `${org(person)}/webhooks`, body: { url: 'https://hooks.example.com/chorus', events: ['post.target_failed'] } }),
  },
  {
    name: 'an invitation',
    table: 'invitations',
    rows: 1,
    status: 201,
    prepare: async (person) => ({ url: `${org(person)}/invitations`, body: { role: 'editor' } }),
  },
  {
    name: 'an organization',
    table: 'orgs',
    rows: 1,
    status: 201,
    prepare: async () => ({ url: '/api/orgs', body: { name: 'Side project' } }),
  },
  {
    name: 'an API token',
    table: 'api_tokens',
    rows: 1,
    status: 201,
    prepare: async () => ({ url: '/api/me/tokens', body: { name: 'CI' } }),
  },
  {
    name: 'a saved inbox view',
    table: 'inbox_views',
    rows: 1,
    status: 201,
    prepare: async (person) => ({ url: `${org(person)}/inbox/views`, body: { name: 'Mine', filters: { assignee: 'me' }, notify: true } }),
  },
];
