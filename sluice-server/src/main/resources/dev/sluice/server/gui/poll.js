// Repeats an async task every few seconds until stopped; one run at a time, failures shown by the caller.

export const INTERVAL_MS = 3000;

/** Runs task() now and then every intervalMs after the previous run ended; returns the stop function. */
export function poll(task, intervalMs) {
  let stopped = false;
  let timer = null;
  const run = async () => {
    if (stopped) {
      return;
    }
    try {
      await task();
    } finally {
      if (!stopped) {
        timer = setTimeout(run, intervalMs || INTERVAL_MS);
      }
    }
  };
  run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
