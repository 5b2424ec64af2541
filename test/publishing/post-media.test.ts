import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { MEDIA_PER_POST } from '../../core/networks/post-media.js';
import { createUser } from '../../src/accounts/users.js';
import { buildServer } from '../../src/app/server.js';
import { publishDueTargets, type PublisherOptions } from '../../src/publishing/publisher.js';
import { createOrg } from '../../src/teams/service.js';
import { ApiClient, PASSWORD, invitePerson, setUpOwner, type Person } from '../support/api-client.js';
import { ScriptedNetwork, scriptedDirectory } from '../support/scripted-network.js';
import { describeEachStore } from '../support/stores.js';

const CHANNELS = [
  { id: 'bsky-1', network: 'bluesky' as const, displayName: 'Shop on Bluesky' },
  { id: 'x-1', network: 'x' as const, displayName: 'Shop on X' },
  { id: 'masto-1', network: 'mastodon' as const, displayName: 'Shop on Mastodon', textLimit: 500 },
  { id: 'team-1', network: 'team' as const, displayName: 'Team feed' },
  { id: 'ig-1', network: 'instagram' as const, displayName: 'Shop on Instagram' },
];

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
/** Bytes that start like a PNG, `size` long, with a recognisable pattern after the signature. */
const png = (size: number): Buffer => {
  const data = Buffer.alloc(size);
  for (let i = 0; i < size; i++) data[i] = i < PNG_SIGNATURE.length ? PNG_SIGNATURE[i]! : (i * 7) % 256;
  return data;
};

describeEachStore('post images', (current) => {
  let app: FastifyInstance;
  let network: ScriptedNetwork;
  let owner: Person;
  let now: Date;
  let publisher: () => PublisherOptions;
  /** The org the scripted accounts belong to. */
  let directoryOrg = '';

  beforeEach(async () => {
    now = new Date('2027-03-26T07:00:00Z');
    network = new ScriptedNetwork();
    const directory = scriptedDirectory(network, () => directoryOrg, CHANNELS);
    app = await buildServer({ store: current().store, webRoot: null, clock: () => now, channelDirectory: directory });
    owner = await setUpOwner(app);
    directoryOrg = owner.orgId;
    publisher = () => ({ store: current().store, clock: () => now, directory, workerId: 'worker-a', leaseMs: 60_000 });
  });
  afterEach(() => app.close());

  const org = (person: Person) => `/api/orgs/${person.orgId}`;
  const upload = (person: Person, data: Buffer, alt: string, mimeType = 'image/png') =>
    person.client.post(`${org(person)}/media`, { mimeType, dataBase64: data.toString('base64'), alt });

  it('uploads images with alt text, attaches them to a post and sends the bytes and alt text to every network', async () => {
    const first = png(2048);
    const second = png(300);
    const a = await upload(owner, first, 'A red mug on a wooden table');
    expect(a.status).toBe(201);
    expect(a.body.media).toEqual({ id: expect.any(String), mimeType: 'image/png', bytes: 2048, alt: 'A red mug on a wooden table' });
    const b = await upload(owner, second, 'draft alt');
    const fixed = await owner.client.patch(`${org(owner)}/media/${b.body.media.id}`, { alt: '店内の様子：木の棚に並ぶマグカップ' });
    expect(fixed.status).toBe(200);
    expect(fixed.body.media.alt).toBe('店内の様子：木の棚に並ぶマグカップ');

    const created = await owner.client.post(`${org(owner)}/posts`, {
      text: 'New mugs',
      channelAccountIds: ['bsky-1', 'masto-1'],
      action: 'publish_now',
      mediaIds: [a.body.media.id, b.body.media.id],
    });
    expect(created.status).toBe(201);
    expect(created.body.post.media.map((m: any) => [m.id, m.bytes])).toEqual([
      [a.body.media.id, 2048],
      [b.body.media.id, 300],
    ]);

    const content = await owner.client.get(`${org(owner)}/media/${a.body.media.id}/content`);
    expect(content.status).toBe(200);
    expect(content.headers['content-type']).toBe('image/png');
    expect(content.headers['content-length']).toBe('2048');
    expect((await owner.client.get(`${org(owner)}/posts?order=updated_desc`)).body.posts[0].media).toHaveLength(2);

    expect(await publishDueTargets(publisher())).toBe(2);
    const sent = [...network.posts.values()].sort((x, y) => x.channelId.localeCompare(y.channelId));
    expect(sent.map((p) => p.channelId)).toEqual(['bsky-1', 'masto-1']);
    for (const post of sent) {
      expect(post.images.map((i) => [i.mimeType, i.alt])).toEqual([
        ['image/png', 'A red mug on a wooden table'],
        ['image/png', '店内の様子：木の棚に並ぶマグカップ'],
      ]);
      expect(Buffer.from(post.images[0]!.data).equals(first)).toBe(true);
      expect(Buffer.from(post.images[1]!.data).equals(second)).toBe(true);
    }

    // An image belongs to one post; once it went out its alt text stays as sent.
    const reuse = await owner.client.post(`${org(owner)}/posts`, { text: 'Again', channelAccountIds: ['x-1'], action: 'draft', mediaIds: [a.body.media.id] });
    expect(reuse.status).toBe(409);
    expect(reuse.body.error.code).toBe('media_in_use');
    expect((await owner.client.patch(`${org(owner)}/media/${a.body.media.id}`, { alt: 'changed' })).status).toBe(409);
  });

  it('refuses images a chosen network would not take, naming the network, at create, schedule and submit time', async () => {
    const big = await upload(owner, png(1_200_000), 'A large photo of the shop front');
    const tooLarge = await owner.client.post(`${org(owner)}/posts`, {
      text: 'Shop front',
      channelAccountIds: ['bsky-1', 'x-1'],
      action: 'publish_now',
      mediaIds: [big.body.media.id],
    });
    expect(tooLarge.status).toBe(422);
    expect(tooLarge.body.error.code).toBe('media_does_not_fit');
    expect(tooLarge.body.error.message).toContain('bluesky');
    expect(tooLarge.body.error.details).toEqual([
      { network: 'bluesky', problem: 'image_too_large', mediaId: big.body.media.id, value: 1_200_000, limit: 1_000_000 },
    ]);
    expect(await current().store.db.selectFrom('posts').selectAll().execute()).toEqual([]);

    // A draft may hold it; scheduling it in place is refused the same way, and X alone takes it.
    const draft = await owner.client.post(`${org(owner)}/posts`, {
      text: 'Shop front',
      channelAccountIds: ['bsky-1'],
      action: 'draft',
      mediaIds: [big.body.media.id],
    });
    expect(draft.status).toBe(201);
    const scheduled = await owner.client.post(`${org(owner)}/posts/${draft.body.post.id}/schedule`, { action: 'publish_now' });
    expect(scheduled.status).toBe(422);
    expect(scheduled.body.error.details[0]).toMatchObject({ network: 'bluesky', problem: 'image_too_large' });
    expect((await owner.client.patch(`${org(owner)}/posts/${draft.body.post.id}`, { channelAccountIds: ['x-1'] })).status).toBe(200);
    expect((await owner.client.post(`${org(owner)}/posts/${draft.body.post.id}/schedule`, { action: 'publish_now' })).status).toBe(200);
    expect(await publishDueTargets(publisher())).toBe(1);
    expect([...network.posts.values()][0]!.images[0]!.data.length).toBe(1_200_000);

    // Mastodon allows 1,500 characters of alt text; an editor's submission is checked too.
    const editor = await invitePerson(owner, 'Ed Editor', 'editor');
    const wordy = await upload(editor, png(500), 'あ'.repeat(1600));
    const submitted = await editor.client.post(`${org(owner)}/posts`, {
      text: 'Wordy',
      channelAccountIds: ['masto-1', 'bsky-1'],
      action: 'submit',
      scheduledAt: { local: '2027-04-01T09:00', timeZone: 'Asia/Tokyo' },
      mediaIds: [wordy.body.media.id],
    });
    expect(submitted.status).toBe(422);
    expect(submitted.body.error.details).toEqual([{ network: 'mastodon', problem: 'alt_too_long', mediaId: wordy.body.media.id, value: 1600, limit: 1500 }]);

    const noAlt = await upload(owner, png(400), '');
    const missing = await owner.client.post(`${org(owner)}/posts`, {
      text: 'No alt',
      channelAccountIds: ['x-1'],
      action: 'publish_now',
      mediaIds: [noAlt.body.media.id],
    });
    expect(missing.status).toBe(422);
    expect(missing.body.error.details).toEqual([{ network: 'x', problem: 'alt_missing', mediaId: noAlt.body.media.id }]);

    const repeating = await owner.client.post(`${org(owner)}/posts`, {
      text: 'Weekly',
      channelAccountIds: ['x-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-04-01T09:00', timeZone: 'UTC' },
      repeat: { every: 'week', count: 2 },
      mediaIds: [noAlt.body.media.id],
    });
    expect(repeating.status).toBe(422);
    expect(repeating.body.error.code).toBe('media_not_repeatable');

    // More than any network takes is refused by the schema; more than X takes, by X's rule, naming it.
    const dots = await Promise.all(Array.from({ length: MEDIA_PER_POST + 1 }, () => upload(owner, png(100), 'dot')));
    const tooMany = await owner.client.post(`${org(owner)}/posts`, {
      text: 'Many',
      channelAccountIds: ['x-1'],
      action: 'draft',
      mediaIds: dots.map((r) => r.body.media.id),
    });
    expect(tooMany.status).toBe(400);
    const five = await owner.client.post(`${org(owner)}/posts`, {
      text: 'Five',
      channelAccountIds: ['x-1'],
      action: 'publish_now',
      mediaIds: dots.slice(0, 5).map((r) => r.body.media.id),
    });
    expect(five.status).toBe(422);
    expect(five.body.error.details).toEqual([{ network: 'x', problem: 'too_many_images', value: 5, limit: 4 }]);
  });

  it('refuses an image type a chosen network does not take (Instagram: JPEG only) when the post is scheduled, naming the network and the image', async () => {
    const photo = await upload(owner, png(500), 'Our shop window at night');
    const refused = await owner.client.post(`${org(owner)}/posts`, {
      text: 'Window',
      channelAccountIds: ['bsky-1', 'ig-1'],
      action: 'schedule',
      scheduledAt: { local: '2027-04-01T09:00', timeZone: 'Asia/Tokyo' },
      mediaIds: [photo.body.media.id],
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('media_does_not_fit');
    expect(refused.body.error.details).toEqual([{ network: 'instagram', problem: 'wrong_type', mediaId: photo.body.media.id, mimeType: 'image/png' }]);
    expect(refused.body.error.message).toContain('instagram: image');
    expect(await current().store.db.selectFrom('posts').selectAll().execute()).toEqual([]);
    expect(
      (
        await owner.client.post(`${org(owner)}/posts`, {
          text: 'Window',
          channelAccountIds: ['bsky-1'],
          action: 'publish_now',
          mediaIds: [photo.body.media.id],
        })
      ).status,
    ).toBe(201);
  });

  it('refuses images for the team feed, which keeps none, instead of dropping them when it publishes', async () => {
    const photo = await upload(owner, png(500), 'The new shelf');
    const both = await owner.client.post(`${org(owner)}/posts`, {
      text: 'New shelf',
      channelAccountIds: ['bsky-1', 'team-1'],
      action: 'publish_now',
      mediaIds: [photo.body.media.id],
    });
    expect(both.status).toBe(422);
    expect(both.body.error.code).toBe('media_does_not_fit');
    expect(both.body.error.details).toEqual([{ network: 'team', problem: 'too_many_images', value: 1, limit: 0 }]);
    // Text only, the team feed takes the post.
    expect((await owner.client.post(`${org(owner)}/posts`, { text: 'New shelf', channelAccountIds: ['team-1'], action: 'draft' })).status).toBe(201);
  });

  it('takes a blank text with images, and refuses a blank text without them, on every network alike', async () => {
    const photo = await upload(owner, png(500), 'Our shop window at night');
    const imageOnly = await owner.client.post(`${org(owner)}/posts`, {
      text: ' ',
      channelAccountIds: ['bsky-1', 'x-1', 'masto-1'],
      action: 'publish_now',
      mediaIds: [photo.body.media.id],
    });
    expect(imageOnly.status).toBe(201);
    const blank = await owner.client.post(`${org(owner)}/posts`, {
      text: ' ',
      channelAccountIds: ['bsky-1', 'x-1', 'masto-1', 'team-1'],
      action: 'publish_now',
    });
    expect(blank.status).toBe(422);
    expect(blank.body.error.code).toBe('text_does_not_fit');
    expect(blank.body.error.details.map((d: { network: string; problem: string }) => `${d.network}:${d.problem}`)).toEqual([
      'bluesky:empty',
      'x:empty',
      'mastodon:empty',
      'team:empty',
    ]);
  });

  it('checks uploads: image types only, the bytes must match the type, 5 MB at most, alt text no longer than the most any network takes (LinkedIn, 4,086)', async () => {
    const pdf = await owner.client.post(`${org(owner)}/media`, {
      mimeType: 'application/pdf',
      dataBase64: Buffer.from('%PDF-1.7').toString('base64'),
      alt: 'x',
    });
    expect(pdf.status).toBe(400);
    expect(pdf.raw).toContain('image/jpeg, image/png, image/webp or image/gif');
    const renamed = await upload(owner, Buffer.from('%PDF-1.7 not really a png'), 'x');
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.code).toBe('media_type_mismatch');
    const huge = await upload(owner, png(5 * 1024 * 1024 + 1), 'x');
    expect(huge.status).toBe(413);
    expect(huge.body.error.code).toBe('media_too_large');
    expect(huge.body.error.message).toContain('5 MB');
    // Each network's own alt limit (Bluesky 2,000) is checked when the post is scheduled for it.
    const longAlt = await upload(owner, png(100), 'a'.repeat(4087));
    expect(longAlt.status).toBe(400);
    expect(longAlt.raw).toContain('at most 4086 characters');
    expect(await current().store.db.selectFrom('post_media').selectAll().execute()).toEqual([]);
  });

  it("keeps one org's images from another: no patching, no attaching", async () => {
    const image = await upload(owner, png(100), 'victim alt');
    const mallory = await createUser(current().store.db, () => new Date(), { email: 'mallory@attacker.example', name: 'Mallory', password: PASSWORD });
    const attackerOrg = await createOrg(current().store.db, () => new Date(), { name: 'Attacker LLC', ownerUserId: mallory.id });
    const attacker = new ApiClient(app, '198.51.100.66');
    expect((await attacker.post('/api/session', { email: 'mallory@attacker.example', password: PASSWORD })).status).toBe(200);

    expect([403, 404]).toContain((await attacker.patch(`${org(owner)}/media/${image.body.media.id}`, { alt: 'pwned' })).status);
    const ownOrg = `/api/orgs/${attackerOrg.id}`;
    const viaOwnOrg = await attacker.patch(`${ownOrg}/media/${image.body.media.id}`, { alt: 'pwned' });
    expect(viaOwnOrg.status).toBe(404);
    expect(viaOwnOrg.raw).not.toContain('victim alt');
    // Even with accounts of its own, the other org cannot put the victim's image on its post.
    directoryOrg = attackerOrg.id;
    const attach = await attacker.post(`${ownOrg}/posts`, { text: 'mine', channelAccountIds: ['bsky-1'], action: 'draft', mediaIds: [image.body.media.id] });
    expect(attach.status).toBe(404);
    expect(attach.body.error.code).toBe('media_not_found');
    const row = await current().store.db.selectFrom('post_media').selectAll().where('id', '=', image.body.media.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ org_id: owner.orgId, post_id: null, alt: 'victim alt' });
  });
});
