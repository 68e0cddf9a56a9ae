package dev.sluice.classifier;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatementSplitterTest {
    @Test
    void splitsAtSemicolonsOutsideStringsNamesAndComments() {
        assertThat(StatementSplitter.split("SELECT 'a;b', `c;d`; /* x; */ SELECT 2 -- e;f\n; SELECT \"g;\""))
                .containsExactly("SELECT 'a;b', `c;d`", "/* x; */ SELECT 2 -- e;f", "SELECT \"g;\"");
    }

    @Test
    void aStoredProgramBodyStaysWhole() {
        String proc = "CREATE PROCEDURE p() BEGIN SELECT 1; SELECT 2; END";
        assertThat(StatementSplitter.split(proc + "; CALL p()")).containsExactly(proc, "CALL p()");
    }

    @Test
    void blankTextAndStraySemicolonsGiveNothingExtra() {
        assertThat(StatementSplitter.split("  ")).isEmpty();
        assertThat(StatementSplitter.split(";; SELECT 1 ;;")).containsExactly("SELECT 1");
        assertThat(StatementSplitter.split("/* sluice explain */ SELECT 1")).containsExactly(
                "/* sluice explain */ SELECT 1");
    }
}
