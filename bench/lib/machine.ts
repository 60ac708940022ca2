/** The machine a benchmark ran on, printed with every table (figures from shared machines vary). */
import os from 'node:os';

export interface MachineInfo {
  cpu: string;
  cores: number;
  node: string;
  load: string;
  memoryGB: number;
}

export function machineInfo(): MachineInfo {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    node: process.version,
    load: os.loadavg().map((l) => l.toFixed(1)).join(' '),
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
  };
}

export function machineLine(m = machineInfo()): string {
  return `${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node}, load average ${m.load}`;
}
