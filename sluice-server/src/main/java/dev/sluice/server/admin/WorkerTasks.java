package dev.sluice.server.admin;

import dev.sluice.server.session.Worker;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks a routing worker something from the admin side without waiting for it: the task runs on the worker's
 * event loop and the returned future completes there (or, after {@code timeout}, fails with a 503 naming the
 * worker). The admin event loop never blocks, so one slow worker delays only the requests that asked it.
 */
final class WorkerTasks {
    private WorkerTasks() {
    }

    static <T> CompletableFuture<T> ask(Worker w, Duration timeout, Callable<T> task) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        try {
            w.eventLoop().execute(() -> {
                try {
                    answer.complete(task.call());
                } catch (Exception | Error e) {
                    answer.completeExceptionally(e);
                }
            });
        } catch (RuntimeException rejected) { // the worker is shutting down
            answer.completeExceptionally(new AdminApi.ApiError(503, "Worker " + w.index() + " is shutting down"));
        }
        return answer.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).exceptionallyCompose(e -> {
            Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                    ? e.getCause() : e;
            if (cause instanceof TimeoutException) {
                return CompletableFuture.failedFuture(new AdminApi.ApiError(503, "Worker " + w.index()
                        + " did not answer within " + timeout.toMillis() + " ms; try again"));
            }
            return CompletableFuture.failedFuture(cause);
        });
    }
}
