export { parseTime, formatTime, nextRunAt, dueRun, runInstant, type TimeOfDay } from './time.ts';
export {
  isValidTimezone,
  canonicalTimezone,
  localDay,
  addDays,
  weekdayOf,
  wallClock,
  zoneOffset,
  zonedInstant,
  type WallClock,
} from './zone.ts';
