package dev.conlab.bench.fork;

import dev.conlab.bench.InvalidSpecException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdkCatalogTest {

    @Test
    void the_running_jdk_is_always_found_with_its_feature_version() {
        JdkCatalog catalog = JdkCatalog.discover(Map.of());
        assertThat(catalog.all()).anySatisfy(j -> assertThat(j.feature()).isEqualTo(Runtime.version().feature()));
        assertThat(catalog.select(List.of(String.valueOf(Runtime.version().feature())))).hasSize(1);
    }

    @Test
    void all_gives_the_newest_jdk_of_each_feature_version_once() {
        List<Jdk> all = JdkCatalog.discover(Map.of()).select(List.of("all"));
        assertThat(all).extracting(Jdk::feature).doesNotHaveDuplicates().isSorted();
    }

    @Test
    void a_jdk_listed_in_conlab_jdks_is_found(@TempDir Path dir) throws Exception {
        Path fake = fakeJdk(dir, "\"99.0.1\"");
        JdkCatalog catalog = JdkCatalog.discover(Map.of("CONLAB_JDKS", fake.toString()));
        assertThat(catalog.all()).anySatisfy(j -> {
            assertThat(j.feature()).isEqualTo(99);
            assertThat(j.vendor()).isEqualTo("Test Vendor");
            assertThat(j.source()).isEqualTo("CONLAB_JDKS");
        });
    }

    @Test
    void a_folder_that_is_not_a_jdk_is_refused_with_the_installed_ones(@TempDir Path dir) {
        assertThatThrownBy(() -> JdkCatalog.discover(Map.of()).select(List.of(dir.toString())))
                .isInstanceOf(InvalidSpecException.class).hasMessageContaining("is not a JDK").hasMessageContaining("installed:");
        assertThatThrownBy(() -> JdkCatalog.discover(Map.of()).select(List.of("8")))
                .hasMessageContaining("no JDK 8 found");
    }

    @Test
    void old_style_versions_parse() {
        assertThat(JdkCatalog.feature("1.8.0_392")).isEqualTo(8);
        assertThat(JdkCatalog.feature("25.0.3")).isEqualTo(25);
        assertThat(JdkCatalog.feature("26-ea")).isEqualTo(26);
    }

    private static Path fakeJdk(Path dir, String version) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("jdk/bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\n");
        java.toFile().setExecutable(true);
        Files.writeString(dir.resolve("jdk/release"), "JAVA_VERSION=" + version + "\nIMPLEMENTOR=\"Test Vendor\"\n");
        return dir.resolve("jdk");
    }
}
