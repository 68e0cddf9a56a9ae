// Repeats an async task every few seconds until stopped; one run at a time, failures shown by the caller.
// A hidden tab does not poll: it catches up at once when it is shown again.

export const INTERVAL_MS = 3000;

/** Runs task() now and then every intervalMs after the previous run ended; returns the stop function. */
export function poll(task, intervalMs) {
  let stopped = false;
  let timer = null;
  let running = false;
  const run = async () => {
    timer = null;
    if (stopped || running) {
      return;
    }
    if (document.hidden) {
      return; // resumed by the visibilitychange listener
    }
    running = true;
    try {
      await task();
    } finally {
      running = false;
      if (!stopped) {
        timer = setTimeout(run, intervalMs || INTERVAL_MS);
      }
    }
  };
  const onVisibility = () => {
    if (!document.hidden && timer === null && !running) {
      run();
    }
  };
  document.addEventListener('visibilitychange', onVisibility);
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
    document.removeEventListener('visibilitychange', onVisibility);
  };
}
