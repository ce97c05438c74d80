/**
 * Whether a process id belongs to a live process. Used by `recoverCrashed`: a run left `running`
 * by a process that is gone was killed (SIGKILL, power loss) before it could record anything.
 */

/**
 * Signal 0 checks existence without signalling. ESRCH means no such process; EPERM means it exists
 * but belongs to another user, which is alive for our purpose.
 */
export const isPidAlive = (pid: number): boolean => {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== "ESRCH"
  }
}
