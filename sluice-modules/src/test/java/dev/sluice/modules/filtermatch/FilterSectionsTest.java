package dev.sluice.modules.filtermatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.server.config.ConfigException;
import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.SluiceConfig;
import org.junit.jupiter.api.Test;

/**
 * Filter sections of a configuration file read with the real modules: MaxScale's syntax loads, and a problem
 * in a filter's parameters (one value, or values that do not fit together) is reported with file, line and
 * parameter.
 */
class FilterSectionsTest {
    private static final String BASE = "[maxscale]\nthreads=1\n\n[db1]\ntype=server\naddress=127.0.0.1\nport=3306\n\n"
            + "[RW]\ntype=service\nrouter=readwritesplit\nservers=db1\nuser=u\npassword=p\nfilters=Named | Rewrite\n\n";

    private static SluiceConfig load(String filters) throws ConfigException {
        return ConfigLoader.parse(BASE + filters, "test.cnf", ModuleRegistry.load());
    }

    @Test
    void maxScaleFilterSectionsLoadAndTheChainKeepsItsOrder() throws Exception {
        SluiceConfig c = load("[Named]\ntype=filter\nmodule=namedserverfilter\nmatch01=/^SELECT.*FOR UPDATE/\n"
                + "target01=db1\noptions=case,extended\nsource=192.168.%.%\nuser=app\n\n"
                + "[Rewrite]\ntype=filter\nmodule=regexfilter\nmatch=/fetch (\\d+)/\nreplace=LIMIT $1\n");
        assertThat(c.services().get("RW").filters()).containsExactly("Named", "Rewrite");
        assertThat(c.filters().get("Named").newFilter()).isNotNull();
        assertThat(c.filters().get("Rewrite").newFilter()).isNotNull();
    }

    @Test
    void aBadRegexIsReportedAtItsLine() {
        assertThatThrownBy(() -> load("[Named]\ntype=filter\nmodule=namedserverfilter\nmatch01=select (\n"
                + "target01=db1\n\n[Rewrite]\ntype=filter\nmodule=regexfilter\nmatch=a\nreplace=b\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.cnf:20: [Named] match01: invalid regular expression")
                .hasMessageNotContaining("target01"); // no second, misleading problem for the same section
    }

    @Test
    void parametersThatDoNotFitTogetherAreReportedAgainstTheParameter() {
        assertThatThrownBy(() -> load("[Named]\ntype=filter\nmodule=namedserverfilter\nmatch02=x\n\n"
                + "[Rewrite]\ntype=filter\nmodule=regexfilter\nmatch=(a)\nreplace=$2\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("test.cnf:20: [Named] match02: match02 is set but target02 is not")
                .hasMessageContaining("test.cnf:26: [Rewrite] replace: '$2' refers to group 2");
    }

    @Test
    void logFileIsNotSupportedAndSaysSo() {
        assertThatThrownBy(() -> load("[Named]\ntype=filter\nmodule=namedserverfilter\nmatch=x\nserver=db1\n\n"
                + "[Rewrite]\ntype=filter\nmodule=regexfilter\nmatch=a\nreplace=b\nlog_file=/tmp/x.log\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("log_file");
    }
}
