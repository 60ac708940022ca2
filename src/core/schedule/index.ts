export { parseTime, formatTime, nextRunAt, dueRun, runInstant, runsOn, isWeekly, tooSoon, type ScheduleSettings, type TimeOfDay } from './time.ts';
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
