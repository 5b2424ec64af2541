import type { MediaView } from '@core/api/publishing.js';
import { request, segment } from './client.js';

/** An uploaded image (core/api/publishing.ts). */
export type Media = MediaView;

const base = (orgId: string) => `/api/orgs/${segment(orgId)}/media`;

export const uploadMedia = (orgId: string, input: { mimeType: string; dataBase64: string; alt: string }, idempotencyKey: string) =>
  request<{ media: Media }>('POST', base(orgId), input, { idempotencyKey }).then((r) => r.media);
export const updateMediaAlt = (orgId: string, mediaId: string, alt: string) =>
  request<{ media: Media }>('PATCH', `${base(orgId)}/${segment(mediaId)}`, { alt }).then((r) => r.media);
export const mediaContentUrl = (orgId: string, mediaId: string) => `${base(orgId)}/${segment(mediaId)}/content`;
