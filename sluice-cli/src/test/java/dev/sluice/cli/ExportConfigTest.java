package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.server.config.ConfigLoader;
import dev.sluice.server.config.ModuleRegistry;
import dev.sluice.server.config.SluiceConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code sluice --config FILE --export-config OUT}: the effective configuration, .d files merged, then exit. */
class ExportConfigTest {
    @TempDir
    Path dir;

    @Test
    void writesTheEffectiveConfigurationWithTheDirectoryMergedAndExits() throws Exception {
        Path main = dir.resolve("sluice.cnf");
        Files.writeString(main, "[maxscale]\nthreads=1\n\n[db1]\ntype=server\naddress=127.0.0.1\nport=3306\n");
        Files.createDirectories(dir.resolve("sluice.cnf.d"));
        Files.writeString(dir.resolve("sluice.cnf.d/svc.cnf"), "[RO]\ntype=service\nrouter=readconnroute\n"
                + "servers=db1\nuser=u\npassword=p\nrouter_options=slave\n\n[RO-L]\ntype=listener\nservice=RO\n"
                + "port=4008\n");
        Path out = dir.resolve("export.cnf");
        int exit = new CommandLine(new SluiceCommand()).execute("--config", main.toString(), "--export-config",
                out.toString());
        assertThat(exit).isZero();
        String text = Files.readString(out);
        assertThat(text).contains("[maxscale]\nthreads=1").contains("[db1]\ntype=server")
                .contains("[RO]\ntype=service").contains("router_options=slave").contains("[RO-L]");
        SluiceConfig reloaded = ConfigLoader.parse(text, "export.cnf", ModuleRegistry.load());
        assertThat(reloaded.services().get("RO").servers()).containsExactly("db1");
        assertThat(reloaded.listeners().get("RO-L").service()).isEqualTo("RO");
    }
}
