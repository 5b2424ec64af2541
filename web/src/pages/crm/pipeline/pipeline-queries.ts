import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  editPipeline,
  explainScore,
  getCrmSettings,
  getPipeline,
  listTasks,
  saveCrmSettings,
  type CrmSettingsChange,
  type PipelineEdit,
  type TaskQuery,
} from '../../../api/crm-pipeline.js';
import { listMembers } from '../../../api/orgs.js';
import { contactsKey } from '../contact-queries.js';

// Under the contacts prefix: any contact change (notes count in the score) reads these again.
const pipelineKey = (orgId: string, contactId: string) => [...contactsKey(orgId), 'pipeline', contactId] as const;
const scoreKey = (orgId: string, contactId: string) => [...contactsKey(orgId), 'score', contactId] as const;
export const tasksKey = (orgId: string) => ['org', orgId, 'tasks'] as const;

const crmSettingsKey = (orgId: string) => ['org', orgId, 'crm-settings'] as const;

export const useCrmSettings = (orgId: string) => useQuery({ queryKey: crmSettingsKey(orgId), queryFn: () => getCrmSettings(orgId), meta: { quiet: true } });
export const useMembers = (orgId: string) =>
  useQuery({ queryKey: ['org', orgId, 'members'], queryFn: () => listMembers(orgId).then((r) => r.members), meta: { quiet: true } });
export const usePipeline = (orgId: string, contactId: string) =>
  useQuery({ queryKey: pipelineKey(orgId, contactId), queryFn: () => getPipeline(orgId, contactId), meta: { quiet: true } });
export const useScoreExplanation = (orgId: string, contactId: string, enabled: boolean) =>
  useQuery({ queryKey: scoreKey(orgId, contactId), queryFn: () => explainScore(orgId, contactId), enabled, meta: { quiet: true } });

export const useTasks = (orgId: string, query: TaskQuery) =>
  useQuery({ queryKey: [...tasksKey(orgId), query], queryFn: () => listTasks(orgId, query), meta: { quiet: true } });

/** Saves part of the contact's pipeline; the answer replaces the cached one, the score is read again. */
export function useEditPipeline(orgId: string, contactId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (edit: PipelineEdit) => editPipeline(orgId, contactId, edit),
    onSuccess: async (pipeline) => {
      client.setQueryData(pipelineKey(orgId, contactId), pipeline);
      await client.invalidateQueries({ queryKey: scoreKey(orgId, contactId) });
    },
  });
}

/** Saves the org's CRM settings; the answer replaces the cached ones, contacts (their scores) are read again. Errors show beside the form. */
export function useSaveCrmSettings(orgId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (change: CrmSettingsChange) => saveCrmSettings(orgId, change),
    onSuccess: async (settings) => {
      client.setQueryData(crmSettingsKey(orgId), settings);
      await client.invalidateQueries({ queryKey: contactsKey(orgId) });
    },
    meta: { quiet: true },
  });
}
