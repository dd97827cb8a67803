import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of /proc's CPU times. */
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

function statFields(pid: number | 'self'): string[] | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command may hold spaces and parentheses: the fields after the last ')' are fixed (state is field 3).
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds a process has used (user + system), and with `children`, what its exited children used too. */
export function processCpuSeconds(pid: number | 'self', children = false): number {
  const f = statFields(pid);
  if (!f) return 0;
  // Fields 14-17 of /proc/<pid>/stat (utime, stime, cutime, cstime), counted from 1; f starts at field 3.
  const own = Number(f[11]) + Number(f[12]);
  return (children ? own + Number(f[13]) + Number(f[14]) : own) / TICKS;
}

/** Busy CPU seconds of the whole machine since boot (every core; idle and I/O wait excluded). */
export function machineBusySeconds(): number {
  const [, ...values] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/);
  const [user, nice, system, , , irq, softirq, steal] = values.map(Number);
  return (user + nice + system + irq + softirq + steal) / TICKS;
}

function comm(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
  } catch {
    return '';
  }
}

function pids(): number[] {
  return readdirSync('/proc').filter((n) => /^\d+$/.test(n)).map(Number);
}

/**
 * Postgres's CPU: every server process alive, plus what the ones that
 * exited used (the postmaster's children's times). Backends come and go;
 * their work is counted either way.
 */
export function postgresCpuSeconds(): number {
  const all = pids().filter((pid) => comm(pid) === 'postgres');
  const postmasters = all.filter((pid) => !all.includes(Number(statFields(pid)?.[1])));
  return all.reduce((sum, pid) => sum + processCpuSeconds(pid, postmasters.includes(pid)), 0);
}

/** The Kafka broker's JVM (the one whose command line runs kafka.Kafka), if there is one on this machine. */
export function kafkaPids(): number[] {
  return pids().filter((pid) => comm(pid) === 'java' && cmdline(pid).includes('kafka.Kafka'));
}

export interface CpuGroups {
  /** Named processes of the system under test: services, gateway, floor processes. */
  processes: Record<string, number>;
}

/** One reading of every group, at a time. */
export interface CpuReading {
  at: number;
  machine: number;
  postgres: number;
  kafka: number;
  /** This process: the load generator. */
  load: number;
  processes: Record<string, number>;
}

export function readCpu(processes: Record<string, number>, kafka: number[]): CpuReading {
  const byName: Record<string, number> = {};
  for (const [name, pid] of Object.entries(processes)) byName[name] = processCpuSeconds(pid);
  return {
    at: performance.now(),
    machine: machineBusySeconds(),
    postgres: postgresCpuSeconds(),
    kafka: kafka.reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    load: processCpuSeconds('self'),
    processes: byName,
  };
}

/** CPU seconds each group used between two readings, with what no group explains. */
export function cpuBetween(a: CpuReading, b: CpuReading): { seconds: number; machine: number; postgres: number; kafka: number; load: number; processes: Record<string, number>; unattributed: number } {
  const processes: Record<string, number> = {};
  for (const name of Object.keys(b.processes)) processes[name] = b.processes[name] - (a.processes[name] ?? 0);
  const postgres = b.postgres - a.postgres;
  const kafka = b.kafka - a.kafka;
  const load = b.load - a.load;
  const machine = b.machine - a.machine;
  const attributed = postgres + kafka + load + Object.values(processes).reduce((s, v) => s + v, 0);
  return { seconds: (b.at - a.at) / 1000, machine, postgres, kafka, load, processes, unattributed: machine - attributed };
}
