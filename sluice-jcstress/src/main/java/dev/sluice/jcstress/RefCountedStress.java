package dev.sluice.jcstress;

import dev.sluice.server.core.RefCounted;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jcstress.annotations.Actor;
import org.openjdk.jcstress.annotations.Arbiter;
import org.openjdk.jcstress.annotations.Description;
import org.openjdk.jcstress.annotations.Expect;
import org.openjdk.jcstress.annotations.JCStressTest;
import org.openjdk.jcstress.annotations.Outcome;
import org.openjdk.jcstress.annotations.State;
import org.openjdk.jcstress.infra.results.III_Result;
import org.openjdk.jcstress.infra.results.II_Result;
import org.openjdk.jcstress.infra.results.I_Result;

/**
 * jcstress tests of {@link RefCounted}, the lifecycle rule of ARCHITECTURE.md: the count decides who
 * releases, a released object is never revived, and the releasing thread sees every holder's writes.
 */
public final class RefCountedStress {
    private RefCountedStress() {
    }

    /** A counted object that records how often it was deallocated and what it saw then. */
    static final class Counted extends RefCounted {
        final AtomicInteger deallocations = new AtomicInteger();
        int written;       // plain field: written by a holder before its release
        volatile int seen = -1;

        @Override
        protected void deallocate() {
            seen = written;
            deallocations.incrementAndGet();
        }
    }

    @JCStressTest
    @Description("Destroy (the registry's release) races with a lookup's tryRetain: exactly one deallocation, "
            + "and a lookup either retains before the end or fails; it never revives a released object.")
    @Outcome(id = "1, 1", expect = Expect.ACCEPTABLE, desc = "lookup won: it retained, then released last")
    @Outcome(id = "0, 1", expect = Expect.ACCEPTABLE, desc = "destroy won: the lookup found it released")
    @Outcome(expect = Expect.FORBIDDEN, desc = "double or missing deallocation")
    @State
    public static class DestroyRacesLookup {
        final Counted object = new Counted();
        int retained;

        @Actor
        public void destroy() {
            object.release();
        }

        @Actor
        public void lookup() {
            if (object.tryRetain()) {
                retained = 1;
                object.release();
            }
        }

        @Arbiter
        public void arbiter(II_Result r) {
            r.r1 = retained;
            r.r2 = object.deallocations.get();
        }
    }

    @JCStressTest
    @Description("Two holders release concurrently: exactly one of them is told it released, exactly once.")
    @Outcome(id = {"1, 0, 1", "0, 1, 1"}, expect = Expect.ACCEPTABLE, desc = "one releaser")
    @Outcome(expect = Expect.FORBIDDEN, desc = "both, neither, or a double deallocation")
    @State
    public static class TwoHoldersRelease {
        final Counted object = new Counted();

        public TwoHoldersRelease() {
            object.tryRetain(); // a session's reference besides the registry's
        }

        @Actor
        public void session(III_Result r) {
            r.r1 = object.release() ? 1 : 0;
        }

        @Actor
        public void registry(III_Result r) {
            r.r2 = object.release() ? 1 : 0;
        }

        @Arbiter
        public void arbiter(III_Result r) {
            r.r3 = object.deallocations.get();
        }
    }

    @JCStressTest
    @Description("A holder's plain write before its release is visible to deallocate(), whoever runs it.")
    @Outcome(id = "42", expect = Expect.ACCEPTABLE, desc = "deallocate saw the holder's write")
    @Outcome(expect = Expect.FORBIDDEN, desc = "deallocate ran without the holder's write (no acquire-release)")
    @State
    public static class ReleaseHappensBeforeDeallocate {
        final Counted object = new Counted();

        public ReleaseHappensBeforeDeallocate() {
            object.tryRetain();
        }

        @Actor
        public void holder() {
            object.written = 42;
            object.release();
        }

        @Actor
        public void registry() {
            object.release();
        }

        @Arbiter
        public void arbiter(I_Result r) {
            r.r1 = object.seen;
        }
    }

    @JCStressTest
    @Description("Once released, tryRetain fails: a lookup after the release never succeeds, even racing another.")
    @Outcome(id = "0, 0", expect = Expect.ACCEPTABLE, desc = "both lookups refused")
    @Outcome(expect = Expect.FORBIDDEN, desc = "a released object was revived")
    @State
    public static class NoRevivalAfterRelease {
        final Counted object = new Counted();

        public NoRevivalAfterRelease() {
            object.release();
        }

        @Actor
        public void lookup1(II_Result r) {
            r.r1 = object.tryRetain() ? 1 : 0;
        }

        @Actor
        public void lookup2(II_Result r) {
            r.r2 = object.tryRetain() ? 1 : 0;
        }
    }
}
