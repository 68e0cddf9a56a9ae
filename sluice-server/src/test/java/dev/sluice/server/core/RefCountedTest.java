package dev.sluice.server.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

class RefCountedTest {

    /** Counts deallocations and remembers whether anyone touched the object after it was released. */
    static final class Probe extends RefCounted {
        final AtomicInteger deallocations = new AtomicInteger();
        final AtomicBoolean released = new AtomicBoolean();

        @Override
        protected void deallocate() {
            deallocations.incrementAndGet();
            released.set(true);
        }

        void use() {
            if (released.get()) {
                throw new IllegalStateException("used after release");
            }
        }
    }

    @Test
    void lastReleaseDeallocatesExactlyOnce() {
        Probe p = new Probe();
        assertThat(p.tryRetain()).isTrue();
        assertThat(p.release()).isFalse();
        assertThat(p.deallocations).hasValue(0);
        assertThat(p.release()).isTrue();
        assertThat(p.deallocations).hasValue(1);
    }

    @Test
    void aReleasedObjectCannotBeRevived() {
        Probe p = new Probe();
        p.release();
        assertThat(p.tryRetain()).isFalse();
        assertThat(p.refCount()).isZero();
    }

    @Test
    void releasingMoreOftenThanRetainedIsAProgrammerError() {
        Probe p = new Probe();
        p.release();
        assertThatThrownBy(p::release).isInstanceOf(IllegalStateException.class);
    }

    /**
     * Many "sessions" retain and release while a "destroyer" drops the registry reference at a random moment:
     * every successful retain happens before the release, nobody uses the object after deallocation, and it
     * is deallocated exactly once.
     */
    @RepeatedTest(20)
    void racingSessionsAndDestroyReleaseExactlyOnce() throws Exception {
        Probe p = new Probe();
        int threads = 8;
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger failedRetains = new AtomicInteger();
        AtomicInteger misuse = new AtomicInteger();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < 20_000; i++) {
                    if (p.tryRetain()) {
                        try {
                            p.use();
                        } catch (IllegalStateException e) {
                            misuse.incrementAndGet();
                        }
                        p.release();
                    } else {
                        failedRetains.incrementAndGet();
                    }
                }
            });
            th.start();
            workers.add(th);
        }
        Thread destroyer = new Thread(() -> {
            try {
                go.await();
            } catch (InterruptedException e) {
                return;
            }
            Thread.onSpinWait();
            p.release(); // the registry's reference
        });
        destroyer.start();
        go.countDown();
        for (Thread th : workers) {
            th.join();
        }
        destroyer.join();
        assertThat(misuse).hasValue(0);
        assertThat(p.deallocations).hasValue(1);
        assertThat(p.refCount()).isZero();
        assertThat(p.tryRetain()).isFalse();
    }
}
