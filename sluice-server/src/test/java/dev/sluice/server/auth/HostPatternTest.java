package dev.sluice.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HostPatternTest {

    @Test
    void wildcardsMatchLikeSqlLike() {
        assertThat(HostPattern.parse("%").matches("10.1.2.3", true)).isTrue();
        assertThat(HostPattern.parse("10.1.%").matches("10.1.2.3", true)).isTrue();
        assertThat(HostPattern.parse("10.1.%").matches("10.2.2.3", true)).isFalse();
        assertThat(HostPattern.parse("10.1.2._").matches("10.1.2.3", true)).isTrue();
        assertThat(HostPattern.parse("10.1.2._").matches("10.1.2.33", true)).isFalse();
    }

    @Test
    void netmasksMatchTheNetwork() {
        HostPattern p = HostPattern.parse("192.168.10.0/255.255.255.0");
        assertThat(p.matches("192.168.10.77", true)).isTrue();
        assertThat(p.matches("192.168.11.77", true)).isFalse();
        assertThat(p.matches("::ffff:192.168.10.77", true)).as("IPv4-mapped client").isTrue();
    }

    @Test
    void localhostMatchesLoopbackOnlyWhenNamesAreResolved() {
        HostPattern p = HostPattern.parse("localhost");
        assertThat(p.matches("localhost", true)).as("unix socket").isTrue();
        assertThat(p.matches("127.0.0.1", false)).isTrue();
        assertThat(p.matches("127.0.0.1", true)).isFalse();
        assertThat(p.matches("10.0.0.1", false)).isFalse();
    }

    @Test
    void theMostSpecificHostWinsAsOnTheServer() {
        UserAccount wildcard = account("app", "%", true);
        UserAccount local = account("app", "localhost", false);
        UserAccount anonymous = account("", "127.0.0.1", false);
        UserAccounts accounts = new UserAccounts(List.of(wildcard, local, anonymous), Map.of(), Set.of(), 1);
        // the server's well-known surprise: a more specific host beats a named user on '%'
        assertThat(accounts.find("app", "127.0.0.1", true)).isSameAs(anonymous);
        assertThat(accounts.find("app", "localhost", false)).isSameAs(local);
        assertThat(accounts.find("app", "10.9.9.9", true)).isSameAs(wildcard);
        assertThat(accounts.find("nobody", "10.9.9.9", true)).isNull();
    }

    @Test
    void databaseGrantsUseLikePatternsWithEscapes() {
        UserAccount app = account("app", "%", false);
        UserAccounts accounts = new UserAccounts(List.of(app),
                Map.of("app@%", List.of("shop\\_%", "test")), Set.of("test", "shop_1", "shopx1"), 1);
        assertThat(accounts.mayUseDatabase(app, "test")).isTrue();
        assertThat(accounts.mayUseDatabase(app, "shop_1")).isTrue();
        assertThat(accounts.mayUseDatabase(app, "shopx1")).as("\\_ is a literal underscore").isFalse();
        assertThat(accounts.mayUseDatabase(app, "other")).isFalse();
    }

    private static UserAccount account(String user, String host, boolean global) {
        return new UserAccount(user, host, HostPattern.parse(host), "", "mysql_native_password", global,
                false, false, Set.of(), "");
    }
}
