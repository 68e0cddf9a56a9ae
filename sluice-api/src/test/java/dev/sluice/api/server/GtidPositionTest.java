package dev.sluice.api.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class GtidPositionTest {

    @Test
    void parsesEveryDomainAndKeepsTheHighestSequence() {
        GtidPosition p = GtidPosition.parse("0-1-42, 1-3-7,0-2-40");
        assertThat(p.sequence(0)).isEqualTo(42);
        assertThat(p.sequence(1)).isEqualTo(7);
        assertThat(p.sequence(5)).isEqualTo(-1);
        assertThat(p.toString()).isEqualTo("0-1-42,1-3-7");
        assertThat(GtidPosition.parse("")).isEqualTo(GtidPosition.EMPTY);
        assertThat(GtidPosition.parse(null).isEmpty()).isTrue();
        assertThat(GtidPosition.parse("garbage,0-1-3").toString()).isEqualTo("0-1-3");
    }

    @Test
    void validTextHasOnlyGtids() {
        assertThat(GtidPosition.isValid("0-1-5,1-2-3")).isTrue();
        assertThat(GtidPosition.isValid("18446744073709551615-1-1")).isTrue();
        assertThat(GtidPosition.isValid("")).isFalse();
        assertThat(GtidPosition.isValid("0-1-5'; DROP TABLE t; --")).isFalse();
        assertThat(GtidPosition.isValid("0-1")).isFalse();
        assertThat(GtidPosition.isValid("0-1-5,")).isFalse();
    }

    @Test
    void coversMergeAndWhatIsBeyond() {
        GtidPosition a = GtidPosition.parse("0-1-5,1-1-7");
        assertThat(a.covers(GtidPosition.parse("0-2-5"))).isTrue();
        assertThat(a.covers(GtidPosition.parse("0-1-6"))).isFalse();
        assertThat(a.covers(GtidPosition.parse("2-1-1"))).isFalse();
        assertThat(a.covers(GtidPosition.EMPTY)).isTrue();
        assertThat(a.merge(GtidPosition.parse("1-2-9,3-1-1")).toString()).isEqualTo("0-1-5,1-2-9,3-1-1");
        assertThat(a.sequenceSum()).isEqualTo(12);
        assertThat(a.beyond(GtidPosition.parse("0-2-5"))).extracting(GtidPosition.Gtid::toString)
                .containsExactly("1-1-7");
    }
}
