/**
 * Retry schedule of a stage: exponential backoff from `base`, doubled each time, with jitter
 * (so stages failing together do not retry in lockstep), each delay capped at `max`, at most
 * `times` retries. Only errors a stage marks retryable are retried.
 */
import { Duration, Schedule } from "effect"
import type { RetryPolicy } from "../spec/pipeline-spec.js"
import { isStageError } from "../errors.js"

export const retrySchedule = (policy: RetryPolicy) =>
  Schedule.exponential(Duration.millis(policy.baseMs)).pipe(
    Schedule.jittered,
    Schedule.modifyDelay((delay) => Duration.min(delay, Duration.millis(policy.maxMs))),
    Schedule.intersect(Schedule.recurs(policy.times))
  )

/** By tag, not `instanceof`: a StageError from another copy of the package is retried too. */
export const isRetryable = (error: unknown): boolean => isStageError(error) && error.retryable === true
