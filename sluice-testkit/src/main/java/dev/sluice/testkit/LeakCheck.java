package dev.sluice.testkit;

import io.netty.util.ResourceLeakDetector;
import io.netty.util.ResourceLeakDetectorFactory;
import io.netty.util.ResourceLeakTracker;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that fails a test when Netty's {@code ResourceLeakDetector} reports a leak
 * ({@code @ExtendWith(LeakCheck.class)}).
 *
 * <p>How: the detector level is set to {@code PARANOID} (every buffer tracked, with access records), and
 * every detector Netty creates afterwards comes from our {@link ResourceLeakDetectorFactory}, whose detectors
 * hand each report to a queue besides logging it. A detector only notices a leak when the leaked object has
 * been garbage-collected <em>and</em> the detector is used again; so after each test and each class we run
 * the GC, then make every known detector track and release a dummy object, which drains its queue, and fail
 * with the collected reports.
 *
 * <p>If {@code AbstractByteBuf} had already created its detector before this class was loaded (a test that
 * allocated buffers without the extension, earlier in the same JVM), that detector is found by reflection and
 * a leak listener is attached to it, so buffer leaks are still caught.
 *
 * <p>A leak found after a test may have been made by an earlier test of the same JVM that ran without this
 * extension; the access records in the report show where the buffer was touched.
 */
public final class LeakCheck implements BeforeAllCallback, AfterEachCallback, AfterAllCallback {

    private static final Queue<String> LEAKS = new ConcurrentLinkedQueue<>();
    private static final List<ResourceLeakDetector<?>> DETECTORS = new CopyOnWriteArrayList<>();
    private static final ResourceLeakDetector.LeakListener LISTENER =
            (resourceType, records) -> LEAKS.add("LEAK: " + resourceType + " was garbage-collected before it was "
                    + "released." + (records.isEmpty() ? "" : "\n" + records));

    static {
        install();
    }

    /** Installs the recording factory (idempotent); called by the class initialiser. */
    public static synchronized void install() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        if (!(ResourceLeakDetectorFactory.instance() instanceof RecordingFactory)) {
            ResourceLeakDetectorFactory.setResourceLeakDetectorFactory(new RecordingFactory());
        }
        attachToBufferDetector();
    }

    private static void attachToBufferDetector() {
        try {
            Class<?> abstractByteBuf = Class.forName("io.netty.buffer.AbstractByteBuf", true,
                    LeakCheck.class.getClassLoader());
            Field field = abstractByteBuf.getDeclaredField("leakDetector");
            field.setAccessible(true);
            ResourceLeakDetector<?> detector = (ResourceLeakDetector<?>) field.get(null);
            if (detector != null && !DETECTORS.contains(detector)) {
                detector.setLeakListener(LISTENER);
                DETECTORS.add(detector);
            }
        } catch (ClassNotFoundException e) {
            // netty-buffer is not on this class path: nothing to watch there
        } catch (ReflectiveOperationException | RuntimeException e) {
            LEAKS.add("LeakCheck could not attach to AbstractByteBuf's leak detector: " + e);
        }
    }

    /** Runs the GC, drains every detector and returns (and forgets) the leaks reported so far. */
    public static List<String> collectLeaks() {
        for (int round = 0; round < 2; round++) {
            System.gc();
            System.runFinalization();
            try {
                Thread.sleep(20); // the reference handler thread enqueues the collected trackers
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            for (ResourceLeakDetector<?> detector : DETECTORS) {
                drain(detector);
            }
        }
        List<String> found = new ArrayList<>();
        for (String leak; (leak = LEAKS.poll()) != null; ) {
            found.add(leak);
        }
        return found;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void drain(ResourceLeakDetector detector) {
        Object probe = new Object();
        ResourceLeakTracker tracker = detector.trackForcibly(probe); // reports pending leaks first
        if (tracker != null) {
            tracker.close(probe);
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
        collectLeaks(); // leaks of earlier classes are not this class's fault
    }

    @Override
    public void afterEach(ExtensionContext context) {
        failOnLeaks(context.getDisplayName());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        failOnLeaks(context.getDisplayName() + " (after all tests)");
    }

    private static void failOnLeaks(String where) {
        List<String> leaks = collectLeaks();
        if (!leaks.isEmpty()) {
            throw new AssertionError(leaks.size() + " Netty resource leak(s) detected in " + where + ":\n"
                    + String.join("\n\n", leaks));
        }
    }

    /** Creates detectors that report to {@link #LEAKS} as well as to the log. */
    private static final class RecordingFactory extends ResourceLeakDetectorFactory {
        @Override
        public <T> ResourceLeakDetector<T> newResourceLeakDetector(Class<T> resource, int samplingInterval,
                                                                   long maxActive) {
            ResourceLeakDetector<T> detector = new ResourceLeakDetector<>(resource, samplingInterval) {
                @Override
                protected boolean needReport() {
                    return true; // report even when Netty's logger has ERROR disabled
                }
            };
            detector.setLeakListener(LISTENER);
            DETECTORS.add(detector);
            return detector;
        }
    }
}
