/**
 * JMH benchmarks of the statement classifier: uncached classification of sysbench OLTP statements and of a mix of
 * golden statements, and cached lookups. Run {@code java -jar sluice-bench/target/benchmarks.jar Classifier}.
 */
package dev.sluice.bench.classifier;
