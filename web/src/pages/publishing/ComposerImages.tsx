import { ActionIcon, Button, Group, Image, Paper, Stack, Text, Textarea } from '@mantine/core';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { Network } from '@core/networks/index.js';
import {
  MEDIA_ALT_MAX_LENGTH,
  MEDIA_MAX_UPLOAD_BYTES,
  MEDIA_MIME_TYPES,
  imageLimitFor,
  imageTypesFor,
  mediaProblemsFor,
  type MediaProblem,
} from '@core/networks/post-media.js';
import type { Intent } from '../../api/intent.js';
import { mediaContentUrl, updateMediaAlt, uploadMedia, type Media } from '../../api/media.js';
import { notifyError } from '../../app/errors.js';
import { sizeLabel } from './size-label.js';

/** One image in the composer: a file picked now (not uploaded yet) or an image the post already has. */
export interface ComposerImage {
  key: string;
  file: File | null;
  previewUrl: string;
  mediaId: string | null;
  mimeType: string;
  bytes: number;
  alt: string;
  /** The alt text the server has, to patch only what changed. */
  savedAlt: string | null;
}

let counter = 0;

export function imagesFromPost(orgId: string, media: Media[] | undefined): ComposerImage[] {
  return (media ?? []).map((m) => ({
    key: m.id,
    file: null,
    previewUrl: mediaContentUrl(orgId, m.id),
    mediaId: m.id,
    mimeType: m.mimeType,
    bytes: m.bytes,
    alt: m.alt,
    savedAlt: m.alt,
  }));
}

/** What the chosen networks would refuse, with the same rules the server applies. */
export function imageProblems(networks: Network[], images: ComposerImage[]): MediaProblem[] {
  if (images.length === 0) return [];
  const items = images.map((image) => ({ id: image.key, bytes: image.bytes, alt: image.alt, mimeType: image.mimeType }));
  return networks.flatMap((network) => mediaProblemsFor(network, items));
}

const toBase64 = (file: File): Promise<string> =>
  new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('could not read the file'));
    reader.readAsDataURL(file);
  });

/** Uploads new images (each once per intent) and saves changed alt texts; returns the ids to send with the post, in order. */
export async function saveImages(orgId: string, images: ComposerImage[], intent: Intent): Promise<string[]> {
  const ids: string[] = [];
  for (const [index, image] of images.entries()) {
    if (image.mediaId === null && image.file) {
      const media = await uploadMedia(
        orgId,
        { mimeType: image.mimeType, dataBase64: await toBase64(image.file), alt: image.alt },
        intent.key(`image-${index}`),
      );
      image.mediaId = media.id;
      image.savedAlt = media.alt;
    } else if (image.mediaId && image.savedAlt !== image.alt) {
      await updateMediaAlt(orgId, image.mediaId, image.alt);
      image.savedAlt = image.alt;
    }
    if (image.mediaId) ids.push(image.mediaId);
  }
  return ids;
}

export function ComposerImages({
  images,
  onChange,
  networks,
  serverProblems,
}: {
  images: ComposerImage[];
  onChange: (images: ComposerImage[]) => void;
  networks: Network[];
  serverProblems: MediaProblem[];
}) {
  const { t, i18n } = useTranslation();
  const input = useRef<HTMLInputElement>(null);
  // The chosen networks' smallest limit and the types all of them take: picking anything else would only show a problem.
  const limit = imageLimitFor(networks);
  const types = imageTypesFor(networks);
  const typeNames = new Intl.ListFormat(i18n.language, { type: 'disjunction' }).format(types.map((type) => type.replace('image/', '').toUpperCase()));
  const local = imageProblems(networks, images);
  // What the server said that the local rules did not already show (they are the same rules, so rarely anything).
  const problems = [...local, ...serverProblems.filter((p) => !local.some((l) => l.network === p.network && l.problem === p.problem))];
  const describe = (problem: MediaProblem): string => {
    const network = t(`networks.${problem.network}`);
    const index = images.findIndex((i) => i.key === problem.mediaId || i.mediaId === problem.mediaId) + 1;
    switch (problem.problem) {
      case 'too_many_images':
        return problem.limit === 0
          ? t('media.problem.noImages', { network })
          : t('media.problem.tooMany', { network, count: problem.value, limit: problem.limit });
      case 'wrong_type':
        return t('media.problem.wrongType', { network, index, type: problem.mimeType?.replace('image/', '').toUpperCase() });
      case 'image_too_large':
        return t('media.problem.tooLarge', { network, index, size: sizeLabel(problem.value ?? 0), limit: sizeLabel(problem.limit ?? 0) });
      case 'alt_missing':
        return t('media.problem.altMissing', { network, index });
      default:
        return t('media.problem.altTooLong', { network, index, length: problem.value, limit: problem.limit });
    }
  };

  const add = (files: FileList | null) => {
    const picked: ComposerImage[] = [];
    for (const file of Array.from(files ?? [])) {
      if (images.length + picked.length >= limit) {
        notifyError(new Error(t('media.tooManyFiles', { limit })));
        break;
      }
      if (!(MEDIA_MIME_TYPES as readonly string[]).includes(file.type)) {
        notifyError(new Error(t('media.wrongType', { name: file.name })));
        continue;
      }
      if (file.size > MEDIA_MAX_UPLOAD_BYTES) {
        notifyError(new Error(t('media.fileTooLarge', { name: file.name, limit: MEDIA_MAX_UPLOAD_BYTES / 1024 / 1024 })));
        continue;
      }
      picked.push({
        key: `new-${++counter}`,
        file,
        previewUrl: URL.createObjectURL(file),
        mediaId: null,
        mimeType: file.type,
        bytes: file.size,
        alt: '',
        savedAlt: null,
      });
    }
    if (picked.length) onChange([...images, ...picked]);
  };

  return (
    <Stack gap="xs" data-testid="composer-images">
      <Group gap="sm">
        <Button variant="default" size="xs" onClick={() => input.current?.click()} disabled={images.length >= limit} data-testid="composer-add-image">
          {t('media.add')}
        </Button>
        <Text size="xs" c="dimmed">
          {t('media.hint', { limit, types: typeNames, size: MEDIA_MAX_UPLOAD_BYTES / 1024 / 1024 })}
        </Text>
        <input
          ref={input}
          type="file"
          accept={types.join(',')}
          multiple
          hidden
          onChange={(e) => {
            add(e.currentTarget.files);
            e.currentTarget.value = '';
          }}
          data-testid="composer-image-input"
        />
      </Group>
      {images.map((image, index) => {
        const altLength = [...image.alt].length;
        return (
          <Paper key={image.key} withBorder radius="md" p="xs" data-testid="composer-image">
            <Group align="flex-start" wrap="nowrap" gap="sm">
              <Image src={image.previewUrl} alt={image.alt || t('media.previewAlt', { index: index + 1 })} w={96} h={96} fit="cover" radius="sm" />
              <Stack gap={2} style={{ flex: 1, minWidth: 0 }}>
                <Textarea
                  label={t('media.altLabel', { index: index + 1 })}
                  description={t('media.altHint')}
                  required
                  autosize
                  minRows={2}
                  maxRows={6}
                  maxLength={MEDIA_ALT_MAX_LENGTH}
                  value={image.alt}
                  error={image.alt.trim() === '' ? t('media.altRequired') : undefined}
                  onChange={(e) => {
                    const alt = e.currentTarget.value;
                    onChange(images.map((i) => (i.key === image.key ? { ...i, alt } : i)));
                  }}
                  data-testid="composer-image-alt"
                />
                <Group justify="space-between">
                  <Text size="xs" c="dimmed">
                    {image.mimeType} · {sizeLabel(image.bytes)}
                  </Text>
                  <Text size="xs" c={altLength > MEDIA_ALT_MAX_LENGTH ? 'red' : 'dimmed'} data-testid="composer-image-alt-count">
                    {altLength} / {MEDIA_ALT_MAX_LENGTH}
                  </Text>
                </Group>
              </Stack>
              <ActionIcon
                variant="subtle"
                color="red"
                aria-label={t('media.remove', { index: index + 1 })}
                onClick={() => {
                  if (image.file) URL.revokeObjectURL(image.previewUrl);
                  onChange(images.filter((i) => i.key !== image.key));
                }}
                data-testid="composer-image-remove"
              >
                ✕
              </ActionIcon>
            </Group>
          </Paper>
        );
      })}
      {problems.length > 0 && (
        <Stack gap={2} data-testid="composer-image-problems">
          {problems.map((problem) => (
            <Text key={`${problem.network} ${problem.problem} ${problem.mediaId ?? ''}`} size="xs" c="red" data-testid={`image-problem-${problem.network}`}>
              {describe(problem)}
            </Text>
          ))}
        </Stack>
      )}
    </Stack>
  );
}
