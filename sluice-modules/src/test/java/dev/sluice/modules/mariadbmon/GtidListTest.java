package dev.sluice.modules.mariadbmon;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The GTID list arithmetic of {@link ClusterOperations} (on {@code GtidPosition}): errant transactions, covering. */
class GtidListTest {

    @Test
    void aServerBehindOrEqualHasNoErrantGtids() {
        assertThat(ClusterOperations.errantGtids("0-1-10", "0-2-12")).isEmpty();
        assertThat(ClusterOperations.errantGtids("0-1-12", "0-2-12")).isEmpty();
        assertThat(ClusterOperations.errantGtids("", "0-2-12")).isEmpty();
    }

    @Test
    void aServerAheadInADomainHasErrantGtids() {
        assertThat(ClusterOperations.errantGtids("0-1-13", "0-2-12")).isEqualTo("domain 0 up to 13");
        assertThat(ClusterOperations.errantGtids("0-1-5,7-1-1", "0-2-12")).isEqualTo("domain 7 up to 1");
    }

    @Test
    void coversComparesEveryDomainOfTheWantedPosition() {
        assertThat(ClusterOperations.covers("0-1-2", "0-1-2")).isTrue();
        assertThat(ClusterOperations.covers("0-2-5,1-1-1", "0-1-2")).isTrue();
        assertThat(ClusterOperations.covers("0-1-1", "0-1-2")).isFalse();
        assertThat(ClusterOperations.covers("0-1-9", "0-1-2,1-1-1")).isFalse();
        assertThat(ClusterOperations.covers("", "")).isTrue();
    }
}
