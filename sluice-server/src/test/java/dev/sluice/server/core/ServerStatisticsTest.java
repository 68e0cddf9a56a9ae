package dev.sluice.server.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServerStatisticsTest {
    @Test
    void bucketsArePowersOfTenFromOneMicrosecondWithTheirUpperLimitIncluded() {
        assertThat(ServerStatistics.bucket(0)).isZero();
        assertThat(ServerStatistics.bucket(1_000)).isZero();
        assertThat(ServerStatistics.bucket(1_001)).isEqualTo(1);
        assertThat(ServerStatistics.bucket(2_500_000)).as("2.5 ms").isEqualTo(4);
        assertThat(ServerStatistics.bucket(Long.MAX_VALUE)).isEqualTo(ServerStatistics.BUCKETS - 1);
        assertThat(ServerStatistics.bucketLimit(0)).isEqualTo("0.000001");
        assertThat(ServerStatistics.bucketLimit(6)).isEqualTo("1.000000");
        assertThat(ServerStatistics.bucketLimit(11)).isEqualTo("100000.000000");
    }

    @Test
    void workerSlotsAreAddedUpOnRead() {
        ServerStatistics stats = new ServerStatistics();
        ServerStatistics.Slot w0 = stats.slot(0);
        ServerStatistics.Slot w3 = stats.slot(3);
        assertThat(stats.slot(0)).isSameAs(w0);
        w0.operationStarted();
        w3.operationStarted();
        w3.operationStarted();
        assertThat(stats.activeOperations()).isEqualTo(3);
        w0.operationEnded(2_500_000, true);
        w3.operationEnded(3_000_000, true);
        w3.operationAbandoned();
        assertThat(stats.activeOperations()).isZero();
        assertThat(stats.counts(true)[4]).isEqualTo(2);
        assertThat(stats.totalNanos(true)[4]).isEqualTo(5_500_000);
        assertThat(stats.counts(false)).containsOnly(0);
    }

    @Test
    void poolFiguresKeepTheHighWaterMark() {
        ServerStatistics stats = new ServerStatistics();
        stats.pooled();
        stats.pooled();
        stats.unpooled();
        assertThat(stats.pooledConnections.get()).isEqualTo(1);
        assertThat(stats.maxPoolSize.get()).isEqualTo(2);
    }
}
