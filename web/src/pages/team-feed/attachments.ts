import type { NewAttachment } from '../../api/team-feed.js';

// The server's limits (src/team-feed/service.ts, which imports server-only code), so the browser refuses before uploading.
export { TEAM_POST_MAX_LENGTH } from '@core/networks/team.js';
export const ATTACHMENT_MAX_BYTES = 1024 * 1024;
export const ATTACHMENTS_PER_POST = 4;

export type AttachmentProblem = { kind: 'too_many'; max: number } | { kind: 'too_large'; name: string; maxMb: number };

/** Why these files cannot go with one post, or null when they can. */
export function attachmentProblem(files: File[]): AttachmentProblem | null {
  if (files.length > ATTACHMENTS_PER_POST) return { kind: 'too_many', max: ATTACHMENTS_PER_POST };
  const tooLarge = files.find((file) => file.size > ATTACHMENT_MAX_BYTES);
  return tooLarge ? { kind: 'too_large', name: tooLarge.name, maxMb: ATTACHMENT_MAX_BYTES / 1024 / 1024 } : null;
}

// The server accepts a plain type/subtype; anything else (empty, parameters) is sent as opaque bytes.
const MEDIA_TYPE = /^[\w.+-]+\/[\w.+-]+$/;

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).slice(String(reader.result).indexOf(',') + 1));
    reader.onerror = () => reject(reader.error ?? new Error(`Cannot read ${file.name}`));
    reader.readAsDataURL(file);
  });
}

export async function toAttachments(files: File[]): Promise<NewAttachment[]> {
  return Promise.all(
    files.map(async (file) => ({
      name: file.name.slice(0, 200) || 'file',
      contentType: MEDIA_TYPE.test(file.type) ? file.type : 'application/octet-stream',
      dataBase64: await base64Of(file),
    })),
  );
}
