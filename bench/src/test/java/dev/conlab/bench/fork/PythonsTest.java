package dev.conlab.bench.fork;

import dev.conlab.bench.InvalidSpecException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Finding interpreters: each candidate is asked by the worker's own probe what it is. */
class PythonsTest {

    private static final Path DEBIAN = Path.of("/usr/bin/python3");

    @Test
    void conlab_pythons_come_first_and_one_interpreter_under_two_names_counts_once() throws Exception {
        dev.conlab.bench.Required.orSkip(Files.isExecutable(DEBIAN), "Debian's /usr/bin/python3");
        Path link = Files.createTempDirectory("conlab-pythons").resolve("python3");
        Files.createSymbolicLink(link, DEBIAN);
        Pythons found = Pythons.discover(Map.of("CONLAB_PYTHONS", DEBIAN.toString(), "PATH", link.getParent().toString()));
        Python first = found.all().get(0);
        assertThat(first.executable()).isEqualTo(DEBIAN);
        assertThat(first.source()).isEqualTo("CONLAB_PYTHONS");
        assertThat(first.info().implementation()).isNotBlank();
        assertThat(first.info().version()).startsWith("3.");
        assertThat(first.info().feature()).matches("3\\.\\d+");
        assertThat(first.info().modules()).containsKeys("numpy", "uvloop", "gevent");
        assertThat(found.all()).filteredOn(p -> p.executable().equals(link)).as("the symlink is the same interpreter").isEmpty();

        assertThat(found.select(List.of("python3"))).containsExactly(first);
        assertThat(found.select(List.of(first.feature()))).containsExactly(first);
        assertThat(found.select(List.of("all"))).containsExactlyElementsOf(found.all());
        assertThat(found.select(List.of(DEBIAN.toString()))).containsExactly(first);
    }

    @Test
    void what_is_not_a_python_is_refused_with_the_interpreters_found() throws Exception {
        Pythons none = Pythons.discover(Map.of("PATH", ""));
        Path notPython = Files.createTempFile("not-python", ".sh");
        Files.writeString(notPython, "#!/bin/sh\necho hello\n");
        notPython.toFile().setExecutable(true);
        assertThatThrownBy(() -> none.select(List.of(notPython.toString()))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("is not a Python 3 interpreter");
        assertThatThrownBy(() -> none.select(List.of("python3.99t"))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("no Python interpreter named 'python3.99t'").hasMessageContaining("installed:");
        assertThatThrownBy(() -> none.select(List.of("3.99"))).isInstanceOf(InvalidSpecException.class)
                .hasMessageContaining("no Python 3.99 found");
    }

    @Test
    void the_worker_ships_every_file_of_its_folder() throws Exception {
        Path root = Path.of(PythonsTest.class.getResource(dev.conlab.bench.PythonCatalog.RESOURCES + "worker.py").toURI()).getParent();
        try (var files = Files.walk(root)) {
            List<String> shipped = files.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(name -> !name.contains("__pycache__")).sorted().toList();
            assertThat(PythonWorker.FILES).containsExactlyInAnyOrderElementsOf(shipped);
        }
    }

    @Test
    void pypy_and_every_pyenv_version_are_found_and_no_two_read_alike() throws Exception {
        dev.conlab.bench.Required.orSkip(Files.isExecutable(Path.of("/usr/bin/pypy3")), "pypy3 (apt install pypy3)");
        Path home = Files.createTempDirectory("conlab-home");
        Path version = Files.createDirectories(home.resolve(".pyenv/versions/3.11.2/bin"));
        // a copy, not a link: pyenv's interpreters are files of their own (the copy finds Debian's library by its built-in prefix)
        Files.copy(DEBIAN.toRealPath(), version.resolve("python3"));
        Pythons found = Pythons.discover(Map.of("PATH", "", "HOME", home.toString()));
        assertThat(found.all()).anySatisfy(p -> {
            assertThat(p.source()).isEqualTo("pyenv");
            assertThat(p.choiceLabel()).endsWith(" · pyenv");
        });
        assertThat(found.all()).anySatisfy(p -> {
            assertThat(p.info().implementation()).isEqualTo("PyPy");
            assertThat(p.executable().getFileName().toString()).startsWith("pypy3");
        });
        assertThat(found.select(List.of("pypy3")).get(0).info().implementation()).isEqualTo("PyPy");
        assertThat(found.all().stream().map(Python::choiceLabel).distinct().count()).as("labels: %s", found.describe())
                .isEqualTo(found.all().size());
    }
}
