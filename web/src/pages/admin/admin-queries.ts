import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getSlaReport, getStatus } from '../../api/ops.js';

export const STATUS_KEY = ['ops', 'status'] as const;
export const SLA_KEY = ['ops', 'sla'] as const;
const SLA_MONTHS = 12;

export const useStatus = () => useQuery({ queryKey: STATUS_KEY, queryFn: getStatus, refetchInterval: 60_000 });

export const useSlaReport = () => useQuery({ queryKey: [...SLA_KEY, SLA_MONTHS], queryFn: () => getSlaReport(SLA_MONTHS), meta: { quiet: true } });

export function useRefreshStatus(): () => Promise<void> {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: STATUS_KEY });
}
