package dev.sluice.testkit;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestInstancePostProcessor;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;

/**
 * The JUnit 5 side of {@link MariaDbCluster}: starts (or reuses) the topology before the class, injects it,
 * and stops it when its store closes — the class's store for {@code shared = false}, the root store (end of
 * the test run) otherwise.
 *
 * <p>JUnit may run classes in parallel; the root store's {@code getOrComputeIfAbsent} makes sure one shape
 * is started once.
 */
public final class MariaDbClusterExtension implements BeforeAllCallback, TestInstancePostProcessor,
        ParameterResolver {

    private static final ExtensionContext.Namespace NAMESPACE =
            ExtensionContext.Namespace.create(MariaDbClusterExtension.class);

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        MariaDbTopology topology = topology(context);
        for (Field field : topologyFields(context.getRequiredTestClass())) {
            if (Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                field.set(null, topology);
            }
        }
    }

    @Override
    public void postProcessTestInstance(Object testInstance, ExtensionContext context) throws Exception {
        MariaDbTopology topology = topology(context);
        for (Field field : topologyFields(testInstance.getClass())) {
            if (!Modifier.isStatic(field.getModifiers())) {
                field.setAccessible(true);
                field.set(testInstance, topology);
            }
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == MariaDbTopology.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return topology(extensionContext);
    }

    private static List<Field> topologyFields(Class<?> testClass) {
        return AnnotationSupport.findAnnotation(testClass, MariaDbCluster.class).isPresent()
                ? org.junit.platform.commons.support.ReflectionSupport.findFields(testClass,
                        f -> f.getType() == MariaDbTopology.class, HierarchyTraversalMode.TOP_DOWN)
                : List.of();
    }

    /** The topology of the class of {@code context}, started on first use and healed once per class. */
    static MariaDbTopology topology(ExtensionContext context) {
        Class<?> testClass = context.getRequiredTestClass();
        MariaDbCluster cluster = findCluster(testClass);
        ExtensionContext classContext = classContext(context);
        ExtensionContext.Store classStore = classContext.getStore(NAMESPACE);
        return classStore.getOrComputeIfAbsent("topology", key -> {
            if (!cluster.shared()) {
                return new ClosingTopology(start(cluster));
            }
            String shape = "replicas=" + cluster.replicas() + " cnf=" + Arrays.toString(cluster.cnf());
            ClosingTopology shared = context.getRoot().getStore(NAMESPACE)
                    .getOrComputeIfAbsent(shape, k -> new ClosingTopology(start(cluster)), ClosingTopology.class);
            shared.topology.heal();
            return new SharedReference(shared.topology);
        }, TopologyHolder.class).topology();
    }

    private static ExtensionContext classContext(ExtensionContext context) {
        ExtensionContext current = context;
        while (current.getTestMethod().isPresent() && current.getParent().isPresent()) {
            current = current.getParent().get();
        }
        return current;
    }

    private static MariaDbCluster findCluster(Class<?> testClass) {
        for (Class<?> c = testClass; c != null; c = c.getEnclosingClass()) {
            var found = AnnotationSupport.findAnnotation(c, MariaDbCluster.class);
            if (found.isPresent()) {
                return found.get();
            }
        }
        throw new ExtensionConfigurationException(testClass.getName() + " uses MariaDbClusterExtension without "
                + "@MariaDbCluster");
    }

    private static MariaDbTopology start(MariaDbCluster cluster) {
        MariaDbTopology.Builder builder = MariaDbTopology.builder().replicas(cluster.replicas());
        for (String line : cluster.cnf()) {
            builder.cnfLine(line);
        }
        return builder.start();
    }

    private interface TopologyHolder {
        MariaDbTopology topology();
    }

    /** Owns a topology: closing the store that holds it stops the servers. */
    private record ClosingTopology(MariaDbTopology topology)
            implements TopologyHolder, ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            topology.close();
        }
    }

    /** A class's view of a shared topology: the root store owns it. */
    private record SharedReference(MariaDbTopology topology) implements TopologyHolder {
    }
}
