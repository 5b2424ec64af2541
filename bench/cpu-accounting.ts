/**
 * Where a machine's CPU went during a stretch of a bench, from Linux's /proc: the whole machine's
 * busy share, and the CPU seconds of chosen processes. A bench that asks "would a second worker
 * help?" needs to know whether the first left any core idle.
 */
import fs from 'node:fs';
import os from 'node:os';

// Linux reports process and machine times in clock ticks; 100 per second on every mainstream build.
const TICKS_PER_SECOND = 100;

interface MachineTimes {
  busy: number;
  steal: number;
  total: number;
}

function machineTimes(): MachineTimes {
  const fields = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
  // user nice system idle iowait irq softirq steal (guest times are already inside user and nice)
  const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
  const busy = user + nice + system + irq + softirq + steal;
  return { busy, steal, total: busy + idle + iowait };
}

/** CPU seconds (user + system) a process has used so far; 0 once it is gone. */
function processSeconds(pid: number): number {
  try {
    // The command name is in parentheses and may hold spaces: fields are counted after its closing one.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const after = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(after[11]) + Number(after[12])) / TICKS_PER_SECOND; // utime, stime
  } catch {
    return 0;
  }
}

/** Every process whose command name is `name` (e.g. PostgreSQL's backends, all named "postgres"). */
function pidsNamed(name: string): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) pids.push(Number(entry));
    } catch {
      // gone between the listing and the read
    }
  }
  return pids;
}

export interface CpuReport {
  seconds: number;
  /** Share of all the machine's cores that was busy, 0–1 (steal included). */
  machineBusy: number;
  /** Share the hypervisor gave to other guests while this one wanted the CPU (noisy neighbours), 0–1. */
  machineSteal: number;
  cores: number;
  /** CPU seconds per group of processes over the stretch. */
  groups: Record<string, number>;
}

/**
 * Starts measuring. Groups are named sets of pids, or a command name to look up at the end (so
 * PostgreSQL backends forked during the stretch are counted; their time before it is subtracted
 * where they already existed).
 */
export function startCpuAccounting(groups: Record<string, number[] | { named: string }>, ownProcess = 'bench') {
  const startedAt = performance.now();
  const machineAtStart = machineTimes();
  const ownAtStart = process.cpuUsage();
  const pidsOf = (group: number[] | { named: string }) => (Array.isArray(group) ? group : pidsNamed(group.named));
  const atStart = new Map<number, number>();
  for (const group of Object.values(groups)) for (const pid of pidsOf(group)) atStart.set(pid, processSeconds(pid));
  return {
    stop(): CpuReport {
      const machine = machineTimes();
      const own = process.cpuUsage(ownAtStart);
      const report: CpuReport = {
        seconds: (performance.now() - startedAt) / 1000,
        machineBusy: (machine.busy - machineAtStart.busy) / Math.max(1, machine.total - machineAtStart.total),
        machineSteal: (machine.steal - machineAtStart.steal) / Math.max(1, machine.total - machineAtStart.total),
        cores: os.cpus().length,
        groups: { [ownProcess]: (own.user + own.system) / 1e6 },
      };
      for (const [name, group] of Object.entries(groups)) {
        report.groups[name] = pidsOf(group).reduce((sum, pid) => sum + processSeconds(pid) - (atStart.get(pid) ?? 0), 0);
      }
      return report;
    },
  };
}
