import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Chip,
  Group,
  Image,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Tabs,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { DateTime } from 'luxon';
import { useQuery } from '@tanstack/react-query';
import { Fragment, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Channel } from '../../api/channels.js';
import { getLinkShortening } from '../../api/analytics.js';
import { ApiError } from '../../api/client.js';
import {
  createPost,
  editPost,
  schedulePost,
  submitPost,
  type NewPost,
  type Post,
  type PostAction,
  type RepeatEvery,
  type TextProblem,
} from '../../api/publishing.js';
import { notifyError, notifySuccess } from '../../app/errors.js';
import { useIntentMutation } from '../../app/intent-mutation.js';
import { can } from '../../app/permissions.js';
import { orgPath } from '../../app/paths.js';
import { SendingQuotas } from './SendingQuotas.js';
import { NetworkIcon } from '../../components/NetworkIcon.js';
import { browserTimeZone, TimeZoneSelect } from '../../components/TimeZoneSelect.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import type { StreamReference } from '../streams/stream-reference.js';
import type { MediaProblem } from '@core/networks/post-media.js';
import { networkRules, type Network, type TextMeasure } from '@core/networks/index.js';
import { textAsPreviewed } from '@core/short-link-text.js';
import { accountLimitOf, bodyFor, canPublishTo, measure, networksOf, shortLinkPrefixOf } from './composer-rules.js';
import { ComposerImages, imageProblems, imagesFromPost, saveImages, type ComposerImage } from './ComposerImages.js';
import { useRefreshPosts } from './post-queries.js';

const ALL = 'all';

const inAnHour = (zone: string) => DateTime.now().setZone(zone).plus({ hours: 1 }).startOf('hour');

/**
 * The composer: accounts, one shared text with per-network versions, the server's own length
 * rules as live counters, previews, and the actions the author's role allows. `editing` is a
 * draft (or rejected post) opened from the list; the parent remounts the composer per post.
 */
export function Composer({
  channels,
  editing,
  reference: initialReference = null,
  onDone,
}: {
  channels: Channel[];
  editing: Post | null;
  reference?: StreamReference | null;
  onDone: (sent: Post | null) => void;
}) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const refresh = useRefreshPosts(org.id);
  const canPublish = can(org.role, 'posts.publish');
  const accounts = channels.filter(canPublishTo);
  // A quote (or reply) opened from a stream item: the page hands it over once; dropping it makes this an ordinary post.
  const [reference, setReference] = useState<StreamReference | null>(editing ? null : initialReference);
  const [selected, setSelected] = useState<string[]>(
    () => editing?.targets.map((target) => target.channelAccountId) ?? (reference ? [reference.channelAccountId] : []),
  );
  const [text, setText] = useState(editing?.text ?? '');
  const [overrides, setOverrides] = useState<Record<string, string>>(editing?.overrides ?? {});
  const [tab, setTab] = useState<string>(ALL);
  const [campaign, setCampaign] = useState(editing?.campaign ?? '');
  // null: the org's default (Analytics → settings); true / false: this post's own choice.
  const [shortenLinks, setShortenLinks] = useState<boolean | null>(editing?.shortenLinks ?? null);
  const [zone, setZone] = useState(editing?.timeZone && editing.dueAt ? editing.timeZone : browserTimeZone());
  const initialTime = editing?.scheduledLocal ? DateTime.fromISO(editing.scheduledLocal, { zone }) : inAnHour(zone);
  const [date, setDate] = useState(initialTime.toFormat('yyyy-MM-dd'));
  const [time, setTime] = useState(initialTime.toFormat('HH:mm'));
  const [problems, setProblems] = useState<TextProblem[]>([]);
  const [repeatEvery, setRepeatEvery] = useState<'none' | RepeatEvery>('none');
  const [repeatCount, setRepeatCount] = useState(4);
  const [images, setImages] = useState<ComposerImage[]>(() => imagesFromPost(org.id, editing?.media));
  const [mediaProblems, setMediaProblems] = useState<MediaProblem[]>([]);

  const shortening = useQuery({ queryKey: ['org', org.id, 'link-shortening'], queryFn: () => getLinkShortening(org.id) });
  const shortLinkPrefix = shortLinkPrefixOf(shortenLinks, shortening.data);

  const networks = networksOf(channels, selected);
  const activeOverrides = Object.fromEntries(Object.entries(overrides).filter(([network]) => (networks as string[]).includes(network)));
  const measures = new Map(
    networks.map((network) => [
      network,
      measure(network, text, activeOverrides, { limit: accountLimitOf(channels, selected, network), mediaCount: images.length, shortLinkPrefix }),
    ]),
  );
  const allFit = networks.length > 0 && [...measures.values()].every((m) => m.fits) && imageProblems(networks, images).length === 0;
  const editText = (update: () => void) => {
    update();
    setProblems([]);
  };

  // One click is one intent: its images and its post are each created once, however often a request is repeated.
  const send = useIntentMutation({
    // A refusal is shown in place (next to the network it concerns), not as a second notification.
    meta: { quiet: true },
    mutationFn: async (action: PostAction, intent) => {
      const scheduledAt = { local: `${date}T${time}`, timeZone: zone };
      const mediaIds = await saveImages(org.id, images, intent);
      const body: NewPost = {
        text,
        overrides: activeOverrides,
        channelAccountIds: selected,
        action,
        timeZone: zone,
        mediaIds,
        ...(action === 'schedule' || action === 'submit' ? { scheduledAt } : {}),
        ...(campaign.trim() ? { campaign: campaign.trim() } : {}),
        ...(shortenLinks !== null ? { shortenLinks } : {}),
        ...(action === 'schedule' && repeatEvery !== 'none' ? { repeat: { every: repeatEvery, count: repeatCount } } : {}),
        ...(reference ? { [reference.kind === 'reply' ? 'replyTo' : 'quote']: { remoteId: reference.remoteId, cid: reference.cid } } : {}),
      };
      if (!editing) return createPost(org.id, body, intent.key('post'));
      const edit = { text, overrides: activeOverrides, channelAccountIds: selected, campaign: campaign.trim() || null, shortenLinks, mediaIds };
      if (action === 'draft') return editPost(org.id, editing.id, edit);
      if (action === 'submit') {
        await editPost(org.id, editing.id, { ...edit, scheduledAt });
        return submitPost(org.id, editing.id);
      }
      // The draft keeps its id: saved as edited, then scheduled in place.
      await editPost(org.id, editing.id, edit);
      return schedulePost(org.id, editing.id, { action, ...(action === 'schedule' ? { scheduledAt } : {}) }, intent.key('schedule'));
    },
    onSuccess: async (post, action) => {
      notifySuccess(t(`publish.done.${action}`));
      setProblems([]);
      setMediaProblems([]);
      await refresh();
      // Every send ends this post: the page starts a clean new one (no reply, no leftover text or accounts).
      onDone(post ?? null);
    },
    onError: (error) => {
      if (error instanceof ApiError && error.code === 'text_does_not_fit' && Array.isArray(error.details)) setProblems(error.details as TextProblem[]);
      else if (error instanceof ApiError && error.code === 'media_does_not_fit' && Array.isArray(error.details))
        setMediaProblems(error.details as MediaProblem[]);
      else notifyError(error);
    },
  });

  if (accounts.length === 0) {
    return (
      <Alert color="blue" variant="light" title={t('publish.noAccountsTitle')} data-testid="no-accounts">
        <Text size="sm">{t('publish.noAccountsBody')}</Text>
        <Anchor component={Link} to={orgPath(org.id, 'settings/channels')} size="sm">
          {t('publish.connectAccounts')}
        </Anchor>
      </Alert>
    );
  }

  const pending = send.isPending ? send.variables : null;
  // While one action runs, the others wait: a second click elsewhere would be a second intent.
  const busyWithOther = (action: PostAction) => pending !== null && pending !== action;
  return (
    <Paper withBorder radius="md" p="md" data-testid="composer">
      <Group justify="space-between" mb="sm">
        <Title order={4}>{editing ? t('publish.editingTitle') : t('publish.composeTitle')}</Title>
        {editing && (
          <Button size="xs" variant="subtle" onClick={() => onDone(null)} data-testid="composer-new">
            {t('publish.newPost')}
          </Button>
        )}
      </Group>
      <Stack gap="md">
        {reference && <ReferenceBanner reference={reference} onDrop={() => setReference(null)} />}
        <div>
          <Text size="sm" fw={500} mb={6}>
            {t('publish.accounts')}
          </Text>
          <Chip.Group multiple value={selected} onChange={setSelected}>
            <Group gap={6}>
              {accounts.map((channel) => (
                <div key={channel.id} data-testid="account-chip" data-network={channel.network} data-handle={channel.handle}>
                  <Chip value={channel.id} variant="outline">
                    <Group gap={6} wrap="nowrap">
                      <NetworkIcon network={channel.network} size={18} />
                      <span>{channel.displayName}</span>
                      {channel.handle !== channel.displayName && (
                        <Text span size="xs" c="dimmed">
                          {channel.handle}
                        </Text>
                      )}
                    </Group>
                  </Chip>
                </div>
              ))}
            </Group>
          </Chip.Group>
          <SendingQuotas channels={accounts.filter((c) => selected.includes(c.id))} />
        </div>

        <Tabs value={tab} onChange={(value) => setTab(value ?? ALL)} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value={ALL} data-testid="composer-tab-all">
              {t('publish.sharedText')}
            </Tabs.Tab>
            {networks.map((network) => (
              <Tabs.Tab key={network} value={network} leftSection={<NetworkIcon network={network} size={16} />} data-testid={`composer-tab-${network}`}>
                {t(`networks.${network}`)}
                {overrides[network] !== undefined ? ' ✎' : ''}
              </Tabs.Tab>
            ))}
          </Tabs.List>
          <Tabs.Panel value={ALL} pt="sm">
            <Textarea
              aria-label={t('publish.sharedText')}
              placeholder={t('publish.placeholder')}
              autosize
              minRows={5}
              maxRows={14}
              value={text}
              onChange={(e) => {
                const value = e.currentTarget.value;
                editText(() => setText(value));
              }}
              data-testid="composer-text"
            />
          </Tabs.Panel>
          {networks.map((network) => (
            <Tabs.Panel key={network} value={network} pt="sm">
              <Switch
                label={t('publish.overrideToggle', { network: t(`networks.${network}`) })}
                checked={overrides[network] !== undefined}
                onChange={(e) => {
                  const on = e.currentTarget.checked;
                  editText(() =>
                    setOverrides((current) => {
                      const next = { ...current };
                      if (on) next[network] = current[network] ?? text;
                      else delete next[network];
                      return next;
                    }),
                  );
                }}
                mb="sm"
                data-testid={`override-toggle-${network}`}
              />
              {overrides[network] !== undefined ? (
                <Textarea
                  aria-label={t('publish.overrideLabel', { network: t(`networks.${network}`) })}
                  autosize
                  minRows={5}
                  maxRows={14}
                  value={overrides[network]}
                  onChange={(e) => {
                    const value = e.currentTarget.value;
                    editText(() => setOverrides((current) => ({ ...current, [network]: value })));
                  }}
                  data-testid={`override-text-${network}`}
                />
              ) : (
                <Text size="sm" c="dimmed">
                  {t('publish.usesShared', { network: t(`networks.${network}`) })}
                </Text>
              )}
            </Tabs.Panel>
          ))}
        </Tabs>

        <ComposerImages
          images={images}
          onChange={(next) => {
            setImages(next);
            setMediaProblems([]);
          }}
          networks={networks}
          serverProblems={mediaProblems}
        />

        {networks.length > 0 && (
          <Group gap="lg" data-testid="counters">
            {networks.map((network) => (
              <Counter key={network} network={network} measure={measures.get(network)!} problem={problems.find((p) => p.network === network)} />
            ))}
          </Group>
        )}

        {networks.length > 0 && (
          <SimpleGrid cols={{ base: 1, md: Math.min(networks.length, 3) }} spacing="sm">
            {networks.map((network) => (
              <Preview
                key={network}
                network={network}
                body={textAsPreviewed(bodyFor(network, text, activeOverrides), shortLinkPrefix)}
                accounts={accounts.filter((c) => c.network === network && selected.includes(c.id))}
                measure={measures.get(network)!}
                problem={problems.find((p) => p.network === network)}
                images={images.slice(0, networkRules(network).capabilities.media.maxImages)}
              />
            ))}
          </SimpleGrid>
        )}

        <TextInput
          label={t('publish.campaign')}
          description={t('publish.campaignHint')}
          value={campaign}
          onChange={(e) => setCampaign(e.currentTarget.value)}
          maw={320}
          data-testid="composer-campaign"
        />
        <Checkbox
          label={t('publish.shortenLinks')}
          description={shortenLinks === null ? t('publish.shortenLinksDefault') : undefined}
          checked={shortenLinks === true}
          indeterminate={shortenLinks === null}
          onChange={() => setShortenLinks(shortenLinks !== true)}
          data-testid="composer-shorten-links"
          data-state={shortenLinks === null ? 'default' : String(shortenLinks)}
        />

        <div>
          <Text size="sm" fw={500} mb={4}>
            {canPublish ? t('publish.when') : t('publish.proposedTime')}
          </Text>
          <Group gap="sm" align="flex-end">
            <TextInput
              type="date"
              label={t('publish.date')}
              value={date}
              onChange={(e) => setDate(e.currentTarget.value)}
              w={170}
              data-testid="schedule-date"
            />
            <TextInput
              type="time"
              label={t('publish.time')}
              value={time}
              onChange={(e) => setTime(e.currentTarget.value)}
              w={130}
              data-testid="schedule-time"
            />
            <TimeZoneSelect label={t('publish.timeZone')} value={zone} onChange={setZone} testId="schedule-zone" />
            {canPublish && !editing && (
              <Select
                label={t('publish.repeat.label')}
                value={repeatEvery}
                onChange={(value) => setRepeatEvery((value as 'none' | RepeatEvery | null) ?? 'none')}
                data={(['none', 'day', 'week', 'month'] as const).map((every) => ({ value: every, label: t(`publish.repeat.${every}`) }))}
                allowDeselect={false}
                w={170}
                data-testid="schedule-repeat"
              />
            )}
            {canPublish && !editing && repeatEvery !== 'none' && (
              <NumberInput
                label={t('publish.repeat.count')}
                value={repeatCount}
                onChange={(value) => setRepeatCount(Number(value) || 2)}
                min={2}
                max={52}
                w={130}
                data-testid="schedule-repeat-count"
              />
            )}
          </Group>
          {repeatEvery !== 'none' && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('publish.repeat.hint')}
            </Text>
          )}
          {!canPublish && (
            <Text size="xs" c="dimmed" mt={4}>
              {t('publish.approvalHint')}
            </Text>
          )}
        </div>

        {!allFit && networks.length > 0 && (
          <Text size="sm" c="red" data-testid="composer-blocked">
            {t('publish.blocked')}
          </Text>
        )}
        <Group gap="sm">
          <Button
            variant="default"
            onClick={() => send.mutate('draft')}
            loading={pending === 'draft'}
            disabled={selected.length === 0 || busyWithOther('draft')}
            data-testid="action-draft"
          >
            {t('publish.actions.draft')}
          </Button>
          {!canPublish && (
            <Button
              onClick={() => send.mutate('submit')}
              loading={pending === 'submit'}
              disabled={!allFit || busyWithOther('submit')}
              data-testid="action-submit"
            >
              {t('publish.actions.submit')}
            </Button>
          )}
          {canPublish && (
            <>
              <Button
                onClick={() => send.mutate('schedule')}
                loading={pending === 'schedule'}
                disabled={!allFit || !date || !time || busyWithOther('schedule')}
                data-testid="action-schedule"
              >
                {t('publish.actions.schedule')}
              </Button>
              <Button
                variant="light"
                onClick={() => send.mutate('publish_now')}
                loading={pending === 'publish_now'}
                disabled={!allFit || busyWithOther('publish_now')}
                data-testid="action-publish-now"
              >
                {t('publish.actions.publish_now')}
              </Button>
              <Button
                variant="light"
                onClick={() => send.mutate('queue')}
                loading={pending === 'queue'}
                disabled={!allFit || busyWithOther('queue')}
                data-testid="action-queue"
              >
                {t('publish.actions.queue')}
              </Button>
            </>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

/** What the post answers or quotes, with a way back to an ordinary post. */
function ReferenceBanner({ reference, onDrop }: { reference: StreamReference; onDrop: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="blue" variant="light" data-testid="composer-reference" data-kind={reference.kind} data-remote-id={reference.remoteId}>
      <Group justify="space-between" align="flex-start" wrap="nowrap">
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600}>
            {reference.kind === 'reply'
              ? t('publish.reference.replyingTo', { author: reference.author })
              : t('publish.reference.quoting', { author: reference.author })}
          </Text>
          <Text size="sm" c="dimmed" lineClamp={3} style={{ overflowWrap: 'anywhere' }}>
            {reference.excerpt}
          </Text>
          <Text size="xs" c="dimmed" mt={4}>
            {t('publish.reference.fromAccount')}
          </Text>
        </div>
        <Button size="compact-xs" variant="subtle" onClick={onDrop} data-testid="composer-reference-drop">
          {t('publish.reference.drop')}
        </Button>
      </Group>
    </Alert>
  );
}

function Counter({ network, measure, problem }: { network: string; measure: TextMeasure; problem: TextProblem | undefined }) {
  const { t } = useTranslation();
  const over = !measure.fits;
  return (
    <Stack gap={0}>
      <Group gap={6} wrap="nowrap" data-testid={`counter-${network}`} data-fits={String(!over)} data-length={measure.length} data-limit={measure.limit}>
        <NetworkIcon network={network} size={18} />
        <Text size="sm" fw={600} c={over ? 'red' : 'dimmed'}>
          {measure.length} / {measure.limit}
        </Text>
        {measure.tooLong && (
          <Text size="xs" c="red">
            {t('publish.overBy', { count: measure.length - measure.limit })}
          </Text>
        )}
        {measure.empty && (
          <Text size="xs" c="red">
            {t('publish.emptyText')}
          </Text>
        )}
      </Group>
      {problem && <ServerProblem problem={problem} />}
    </Stack>
  );
}

/** What the server said about one network when it refused (422 text_does_not_fit). */
function ServerProblem({ problem }: { problem: TextProblem }) {
  const { t } = useTranslation();
  return (
    <Text size="xs" c="red" data-testid={`server-problem-${problem.network}`}>
      {problem.problem === 'empty'
        ? t('publish.serverEmpty', { network: t(`networks.${problem.network}`) })
        : t('publish.serverTooLong', { network: t(`networks.${problem.network}`), length: problem.length, limit: problem.limit })}
    </Text>
  );
}

const TOKEN = /(https?:\/\/[^\s]+|[#＃][\p{L}\p{N}_]+|@[\w.-]+)/gu;

/** The text as the network will show it: line breaks kept, links, tags and mentions highlighted. */
function Preview({
  network,
  body,
  accounts,
  measure,
  problem,
  images,
}: {
  network: Network;
  body: string;
  accounts: Channel[];
  measure: TextMeasure;
  problem: TextProblem | undefined;
  /** The images this network gets (as many as it keeps). */
  images: ComposerImage[];
}) {
  const { t } = useTranslation();
  const over = !measure.fits;
  return (
    <Paper withBorder radius="md" p="sm" bg={over ? 'red.0' : undefined} data-testid={`preview-${network}`}>
      <Group gap={8} mb={6} wrap="nowrap">
        <NetworkIcon network={network} size={22} />
        <div style={{ minWidth: 0 }}>
          <Text size="sm" fw={600} truncate>
            {accounts.map((a) => a.displayName).join(', ')}
          </Text>
          <Text size="xs" c="dimmed" truncate>
            {accounts.map((a) => a.handle).join(', ')}
          </Text>
        </div>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} data-testid={`preview-text-${network}`}>
        {body.trim() === '' ? (
          <Text span c="dimmed" size="sm">
            {t('publish.previewEmpty')}
          </Text>
        ) : (
          body.split(TOKEN).map((part, index) =>
            index % 2 === 1 ? (
              <Text key={index} span c="blue" size="sm">
                {part}
              </Text>
            ) : (
              <Fragment key={index}>{part}</Fragment>
            ),
          )
        )}
      </Text>
      {images.length > 0 && (
        <Group gap={6} mt={6}>
          {images.map((image) => (
            <Image
              key={image.key}
              src={image.previewUrl}
              alt={image.alt}
              w={images.length === 1 ? 200 : 96}
              h={images.length === 1 ? 150 : 96}
              fit="cover"
              radius="sm"
              data-testid={`preview-image-${network}`}
            />
          ))}
        </Group>
      )}
      <Text size="xs" c={over ? 'red' : 'dimmed'} ta="right" mt={6}>
        {t('publish.previewCount', { network: t(`networks.${network}`), length: measure.length, limit: measure.limit })}
      </Text>
      {problem && <ServerProblem problem={problem} />}
    </Paper>
  );
}
