package dev.sluice.server.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class GuiFilesTest {
    private final GuiFiles files = new GuiFiles();

    @Test
    void theIndexAndTheModulesComeFromTheJarWithTypesAndAStableEtag() throws IOException {
        GuiFiles.File index = files.find("/");
        assertThat(index.contentType()).startsWith("text/html");
        assertThat(new String(index.bytes(), java.nio.charset.StandardCharsets.UTF_8)).contains("/gui/app.js");
        assertThat(files.find("/index.html")).isSameAs(index);
        GuiFiles.File app = files.find("/gui/app.js");
        assertThat(app.contentType()).startsWith("text/javascript");
        assertThat(app.etag()).matches("\"[0-9a-f]{24}\"").isNotEqualTo(index.etag());
        assertThat(new GuiFiles().find("/gui/app.js").etag()).isEqualTo(app.etag());
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(app.gzipped()))) {
            assertThat(in.readAllBytes()).isEqualTo(app.bytes());
        }
        assertThat(app.gzipped().length).isLessThan(app.bytes().length);
    }

    @Test
    void onlyPlainNamesOfKnownKindsAreLookedUp() {
        assertThat(files.find("/gui/nothing.js")).isNull();
        assertThat(files.find("/gui/../admin/GuiFiles.class")).isNull();
        assertThat(files.find("/gui/sub/app.js")).isNull();
        assertThat(files.find("/gui/app.JS")).isNull();
        assertThat(files.find("/gui/.hidden.js")).isNull();
        assertThat(GuiFiles.isGuiPath("/")).isTrue();
        assertThat(GuiFiles.isGuiPath("/gui/style.css")).isTrue();
        assertThat(GuiFiles.isGuiPath("/v1/servers")).isFalse();
        assertThat(GuiFiles.isGuiPath("/metrics")).isFalse();
    }
}
