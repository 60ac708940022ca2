/** A cli-progress bar for day-by-day fetching; drawn only on a TTY, silent in pipes and tests. */
import cliProgress from 'cli-progress';
import type { FetchProgress } from './fetch.ts';

export interface ProgressBar {
  update(p: FetchProgress): void;
  stop(): void;
}

export function createProgressBar(stream: NodeJS.WritableStream & { isTTY?: boolean }, total: number, label = 'Fetching'): ProgressBar {
  if (!stream.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: `${label} {bar} {value}/{total} days | {day} | {papers} papers`,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  let papers = 0;
  bar.start(total, 0, { day: '', papers: 0 });
  return {
    update(p) {
      papers += p.papers;
      bar.update(p.done, { day: p.day, papers });
    },
    stop() {
      bar.stop();
    },
  };
}
