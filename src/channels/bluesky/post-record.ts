import { AppBskyRichtextFacet, AtUri, RichText, type AppBskyFeedPost, type AtpAgent, type BlobRef } from '@atproto/api';
import { z } from 'zod';
import type { PostRef, PublishRequest } from '../connector.js';
import { RequestProblem } from './failures.js';

type StrongRef = { uri: string; cid: string };

const storedPost = z.object({
  uri: z.string(),
  cid: z.string(),
  value: z.object({ reply: z.object({ root: z.object({ uri: z.string(), cid: z.string() }) }).optional() }).loose(),
});

/** Reads one record of the account's repository, or null when there is none under that key. */
export async function getRecordOrNull(agent: AtpAgent, uri: string) {
  const at = new AtUri(uri);
  try {
    const response = await agent.com.atproto.repo.getRecord({ repo: at.host, collection: at.collection, rkey: at.rkey });
    return storedPost.parse(response.data);
  } catch (error) {
    if ((error as { error?: string }).error === 'RecordNotFound') return null;
    throw error;
  }
}

/** A post reference with its CID, fetched from the author's repository when the caller had none. */
export async function strongRefOf(agent: AtpAgent, post: PostRef): Promise<StrongRef> {
  if (post.cid) return { uri: post.remoteId, cid: post.cid };
  const record = await getRecordOrNull(agent, post.remoteId);
  if (!record) throw missingPost(post.remoteId);
  return { uri: record.uri, cid: record.cid };
}

function missingPost(uri: string): RequestProblem {
  return new RequestProblem('post_not_found', `post not found: ${uri}`);
}

/** Builds the app.bsky.feed.post record: facets, images, reply refs and quote embed. */
export async function buildPostRecord(agent: AtpAgent, request: PublishRequest, createdAt: Date): Promise<AppBskyFeedPost.Record> {
  const rich = new RichText({ text: request.text });
  rich.detectFacetsWithoutResolution();
  await resolveMentions(agent, rich);
  const record: AppBskyFeedPost.Record = {
    $type: 'app.bsky.feed.post',
    text: rich.text,
    createdAt: createdAt.toISOString(),
  };
  if (rich.facets?.length) record.facets = rich.facets;
  if (request.languages?.length) record.langs = request.languages;
  if (request.replyTo) record.reply = await replyRefs(agent, request.replyTo);
  const images = await uploadImages(agent, request.images ?? []);
  const quoted = request.quote ? await strongRefOf(agent, request.quote) : null;
  if (quoted && images) {
    record.embed = { $type: 'app.bsky.embed.recordWithMedia', record: { $type: 'app.bsky.embed.record', record: quoted }, media: images };
  } else if (quoted) {
    record.embed = { $type: 'app.bsky.embed.record', record: quoted };
  } else if (images) {
    record.embed = images;
  }
  return record;
}

/**
 * Mentions become facets only when the handle resolves to a DID; an unknown handle stays plain
 * text. Unlike RichText.detectFacets, a network failure here fails the publish instead of
 * silently dropping the mention.
 */
async function resolveMentions(agent: AtpAgent, rich: RichText): Promise<void> {
  if (!rich.facets) return;
  const kept: AppBskyRichtextFacet.Main[] = [];
  for (const facet of rich.facets) {
    const features: AppBskyRichtextFacet.Main['features'] = [];
    for (const feature of facet.features) {
      if (!AppBskyRichtextFacet.isMention(feature)) {
        features.push(feature);
        continue;
      }
      // Before resolution the mention's `did` field holds the handle.
      const did = await resolveHandle(agent, feature.did);
      if (did) features.push({ ...feature, did });
    }
    if (features.length) kept.push({ ...facet, features });
  }
  rich.facets = kept;
}

async function resolveHandle(agent: AtpAgent, handle: string): Promise<string | null> {
  try {
    return (await agent.com.atproto.identity.resolveHandle({ handle })).data.did;
  } catch (error) {
    const status = (error as { status?: number }).status;
    if (status === 400 || status === 404) return null;
    throw error;
  }
}

async function replyRefs(agent: AtpAgent, replyTo: NonNullable<PublishRequest['replyTo']>) {
  const parentRecord = replyTo.cid && replyTo.rootRemoteId && replyTo.rootCid ? null : await getRecordOrNull(agent, replyTo.remoteId);
  if (!replyTo.cid && !parentRecord) throw missingPost(replyTo.remoteId);
  const parent = { uri: replyTo.remoteId, cid: replyTo.cid ?? parentRecord!.cid };
  const root = replyTo.rootRemoteId
    ? await strongRefOf(agent, { remoteId: replyTo.rootRemoteId, cid: replyTo.rootCid ?? null })
    : (parentRecord?.value.reply?.root ?? parent);
  return { root, parent };
}

async function uploadImages(agent: AtpAgent, images: NonNullable<PublishRequest['images']>) {
  if (!images.length) return null;
  const uploaded: { image: BlobRef; alt: string }[] = [];
  for (const image of images) {
    const blob = await agent.uploadBlob(image.data, { encoding: image.mimeType });
    uploaded.push({ image: blob.data.blob, alt: image.alt });
  }
  return { $type: 'app.bsky.embed.images' as const, images: uploaded };
}
