/** Whether a process numbered `pid` is running (one of another user counts as running: it cannot be signalled, but it is there). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
