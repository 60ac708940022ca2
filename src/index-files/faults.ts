/**
 * Fault points for the crash tests: `PAPERBOY_INDEX_FAULT=NAME` makes the process stop dead at the
 * step named NAME of an index write, so a test's SIGKILL lands exactly there. It says so on stderr
 * (`paperboy index fault: NAME`), then blocks its only thread: no timer, write or rename runs after.
 * Unset (always, outside tests), a fault point costs one comparison.
 */
import { writeSync } from 'node:fs';

export type FaultPoint =
  /** Half of a segment's temp file written and synced. */
  | 'mid-segment-tmp'
  /** A segment's temp file complete and synced, not yet renamed. */
  | 'after-segment-tmp'
  /** The state file's temp complete, not renamed. */
  | 'after-state-tmp'
  /** The manifest's temp complete, not renamed: everything of the new generation on disk but uncommitted. */
  | 'after-manifest-tmp'
  /** The manifest renamed (committed), old files not yet deleted. */
  | 'after-manifest-rename'
  /** A merge's segment half written. */
  | 'mid-merge-tmp';

export const FAULT_ENV = 'PAPERBOY_INDEX_FAULT';

export function faultIs(point: FaultPoint): boolean {
  return process.env[FAULT_ENV] === point;
}

export function fault(point: FaultPoint): void {
  if (!faultIs(point)) return;
  writeSync(2, `paperboy index fault: ${point}\n`);
  // Block the thread: nothing else of this process may run before the kill.
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}
