import { DomainError } from '../lib/domain-error.js';
import { newId } from '../lib/ids.js';
import type { OrgScope } from '../teams/org-scope.js';
import type { PublishingChannel } from '../channels/channel-directory.js';
import { MEDIA_MAX_UPLOAD_BYTES, MEDIA_PER_POST, mediaProblemsFor, type MediaProblem } from '../../core/networks/post-media.js';
import { sniffMatches } from './image-sniff.js';
import type { PostMediaTable } from './tables.js';
import type { MediaView } from '../../core/api/publishing.js';

export type { MediaView };

const present = (row: Pick<PostMediaTable, 'id' | 'mime_type' | 'bytes' | 'alt'>): MediaView => ({
  id: row.id,
  mimeType: row.mime_type,
  bytes: Number(row.bytes),
  alt: row.alt,
});

/** Keeps an uploaded image until a post takes it; the bytes are stored as base64 text (the same on SQLite and PostgreSQL). */
export async function uploadMedia(scope: OrgScope, input: { mimeType: string; dataBase64: string; alt: string }): Promise<MediaView> {
  const data = Buffer.from(input.dataBase64, 'base64');
  if (data.length === 0) throw new DomainError('media_empty', 'The image is empty', 400);
  if (data.length > MEDIA_MAX_UPLOAD_BYTES) {
    throw new DomainError('media_too_large', `The image is ${data.length} bytes; Chorus accepts images up to ${MEDIA_MAX_UPLOAD_BYTES / 1024 / 1024} MB`, 413, {
      bytes: data.length,
      limit: MEDIA_MAX_UPLOAD_BYTES,
    });
  }
  if (!sniffMatches(input.mimeType, data)) throw new DomainError('media_type_mismatch', `The file is not a ${input.mimeType} image`, 400);
  const row = {
    id: newId(),
    post_id: null,
    position: 0,
    mime_type: input.mimeType,
    bytes: data.length,
    data: data.toString('base64'),
    alt: input.alt,
    created_at: scope.now(),
  };
  // One transaction, answered from what was written: a stored image never answers 5xx (a retry would store it twice).
  await scope.transaction(async (tx) => {
    await tx.insertInto('post_media', row);
    await tx.audit('media.uploaded', { mediaId: row.id, bytes: row.bytes, mimeType: row.mime_type });
  });
  return present(row);
}

/** Alt text can change until the post it belongs to starts publishing. */
export async function updateMediaAlt(scope: OrgScope, mediaId: string, alt: string): Promise<MediaView> {
  const row = await scope.selectFrom('post_media').select(['id', 'post_id', 'mime_type', 'bytes', 'alt']).where('id', '=', mediaId).executeTakeFirst();
  if (!row) throw new DomainError('media_not_found', 'Image not found', 404);
  if (row.post_id) {
    const started = await scope
      .selectFrom('post_targets')
      .select('id')
      .where('post_id', '=', row.post_id)
      .where('state', 'in', ['publishing', 'published', 'retrying', 'failed'])
      .executeTakeFirst();
    if (started) throw new DomainError('post_not_editable', 'The post with this image has started publishing; its alt text can no longer change', 409);
  }
  await scope.updateTable('post_media').set({ alt }).where('id', '=', mediaId).execute();
  return present({ ...row, alt });
}

/** The images these ids name, in the given order; each must be this org's and free (or already this post's). */
export async function resolveMedia(scope: OrgScope, mediaIds: string[], postId: string | null): Promise<MediaView[]> {
  const unique = [...new Set(mediaIds)];
  if (unique.length > MEDIA_PER_POST) throw new DomainError('too_many_images', `A post takes at most ${MEDIA_PER_POST} images`, 422);
  if (unique.length === 0) return [];
  const rows = await scope.selectFrom('post_media').select(['id', 'post_id', 'mime_type', 'bytes', 'alt']).where('id', 'in', unique).execute();
  const missing = unique.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new DomainError('media_not_found', `No uploaded image with id ${missing.join(', ')} in this organization`, 404);
  const taken = rows.filter((r) => r.post_id !== null && r.post_id !== postId);
  if (taken.length) throw new DomainError('media_in_use', `Image ${taken.map((r) => r.id).join(', ')} already belongs to another post; upload it again`, 409);
  return unique.map((id) => present(rows.find((r) => r.id === id)!));
}

/** Makes these images the post's, in this order; images the post had and no longer lists are let go. */
export async function attachMedia(scope: OrgScope, postId: string, mediaIds: string[]): Promise<void> {
  const unique = [...new Set(mediaIds)];
  let release = scope.updateTable('post_media').set({ post_id: null, position: 0 }).where('post_id', '=', postId);
  if (unique.length) release = release.where('id', 'not in', unique);
  await release.execute();
  for (const [position, id] of unique.entries()) {
    await scope.updateTable('post_media').set({ post_id: postId, position }).where('id', '=', id).execute();
  }
}

/** The images of many posts at once (lists, the calendar), without their bytes. */
export async function mediaOfPosts(scope: OrgScope, postIds: string[]): Promise<Map<string, MediaView[]>> {
  const byPost = new Map<string, MediaView[]>();
  if (postIds.length === 0) return byPost;
  const rows = await scope
    .selectFrom('post_media')
    .select(['id', 'post_id', 'mime_type', 'bytes', 'alt'])
    .where('post_id', 'in', postIds)
    .orderBy('position')
    .execute();
  for (const row of rows) byPost.set(row.post_id!, [...(byPost.get(row.post_id!) ?? []), present(row)]);
  return byPost;
}

/** One image's bytes, to show it again in the composer. */
export async function mediaContent(scope: OrgScope, mediaId: string): Promise<{ mimeType: string; data: Buffer }> {
  const row = await scope.selectFrom('post_media').select(['mime_type', 'data']).where('id', '=', mediaId).executeTakeFirst();
  if (!row) throw new DomainError('media_not_found', 'Image not found', 404);
  return { mimeType: row.mime_type, data: Buffer.from(row.data, 'base64') };
}

export async function mediaOfPost(scope: OrgScope, postId: string): Promise<MediaView[]> {
  const rows = await scope.selectFrom('post_media').select(['id', 'mime_type', 'bytes', 'alt']).where('post_id', '=', postId).orderBy('position').execute();
  return rows.map(present);
}

/** Every target's network must take the post's images before anything is scheduled or sent for approval. */
export function assertMediaFits(channels: PublishingChannel[], media: MediaView[]): void {
  if (media.length === 0) return;
  const networks = [...new Set(channels.map((c) => c.network))];
  const problems: MediaProblem[] = networks.flatMap((network) => mediaProblemsFor(network, media));
  if (problems.length) {
    const summary = problems
      .map((p) =>
        p.problem === 'too_many_images'
          ? `${p.network}: ${p.value} images, at most ${p.limit}`
          : p.problem === 'image_type_refused'
            ? `${p.network}: image ${p.mediaId} is of a type it does not take`
            : p.problem === 'image_too_large'
              ? `${p.network}: image ${p.mediaId} is ${p.value} bytes, at most ${p.limit}`
              : p.problem === 'alt_missing'
                ? `${p.network}: image ${p.mediaId} has no alt text`
                : `${p.network}: alt text of image ${p.mediaId} is ${p.value} characters, at most ${p.limit}`,
      )
      .join('; ');
    throw new DomainError(
      'media_does_not_fit',
      `The images do not fit every network (${summary}); remove or replace them, or drop that network`,
      422,
      problems,
    );
  }
}
