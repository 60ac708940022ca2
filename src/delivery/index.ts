export { digestId, DIGEST_EVENT_TYPE } from './digest-id.ts';
export { defaultRetryPolicy, withRetry, backoffMs, failureOf, isUncertain, realSleep, type RetryPolicy, type RetryEnv, type Sleep } from './retry.ts';
export { runPool } from './pool.ts';
export { withTimeout } from './timeout.ts';
export { missedDays, lastPassedDay, MISSED_LOOKBACK_DAYS } from './missed.ts';
export { planCycle, inBackoff, type Plan } from './plan.ts';
export { runDigest, reconcile, type DeliveryOptions, type DestinationOutcome } from './run-digest.ts';
export { fanOut, type FanOutOptions, type FanOutReport } from './fan-out.ts';
