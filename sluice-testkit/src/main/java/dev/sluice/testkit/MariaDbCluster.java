package dev.sluice.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs the annotated test class against a real {@link MariaDbTopology}. The topology is injected into
 * parameters and into static or instance fields of type {@code MariaDbTopology}.
 *
 * <pre>{@code
 * @MariaDbCluster(replicas = 2)
 * class ReadConnRouteIT {
 *     static MariaDbTopology topology;
 *     @Test void routesToReplica() { ... topology.replicas() ... }
 * }
 * }</pre>
 *
 * <p>By default the topology is {@link #shared()}: one per JVM and shape (replica count + extra cnf lines),
 * started by the first class that needs it and stopped when the test run ends. Before each class it is
 * {@linkplain MariaDbTopology#heal() healed} (stopped nodes started, replication restarted, read_only reset),
 * so a class that kills or reconfigures nodes leaves no trace for the next; a class that changes more (drops
 * accounts, breaks GTID history) should use {@code shared = false}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(MariaDbClusterExtension.class)
public @interface MariaDbCluster {

    /** Number of GTID replicas of the primary. */
    int replicas() default 2;

    /** One topology for every class of the run with the same shape (true), or one for this class only. */
    boolean shared() default true;

    /** Extra {@code [mysqld]} lines for every node, e.g. {@code "max_connections=2000"}. */
    String[] cnf() default {};
}
