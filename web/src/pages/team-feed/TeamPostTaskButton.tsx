import { Button } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Mentionable } from '@core/networks/team.js';
import type { TeamPost } from '../../api/team-feed.js';
import { can } from '../../app/permissions.js';
import { useCurrentOrg } from '../../shell/current-org.js';
import { NewTaskModal } from '../crm/tasks/NewTaskModal.js';
import { taskTitleText } from '../crm/tasks/task-title.js';

/** "Create task" on a team post, for members who may write CRM tasks; the task links back to the post. */
export function TeamPostTaskButton({ post, members }: { post: TeamPost; members: Mentionable[] }) {
  const { t } = useTranslation();
  const { org } = useCurrentOrg();
  const [open, setOpen] = useState(false);
  if (!can(org.role, 'contacts.write')) return null;
  return (
    <>
      <Button size="compact-xs" variant="subtle" color="gray" onClick={() => setOpen(true)} data-testid="team-post-create-task">
        {t('tasks.create')}
      </Button>
      {open && (
        <NewTaskModal
          heading={t('tasks.fromTeamPost.title')}
          about={t('tasks.fromTeamPost.about', { name: post.author?.name ?? t('teamFeed.formerMember') })}
          initialTitle={taskTitleText(post.text)}
          links={{ teamPostId: post.id }}
          members={members}
          onClose={() => setOpen(false)}
          testId="team-post-task"
        />
      )}
    </>
  );
}
