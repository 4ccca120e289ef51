package dev.conlab.bench.fork;

import dev.conlab.bench.PythonInfo;
import dev.conlab.bench.Vocabulary;

import java.nio.file.Path;

/**
 * A Python interpreter the lab can start workers on.
 *
 * @param executable its path as found (a symlink such as python3 is kept: its name is what the user typed)
 * @param info       what its worker's probe reported: implementation, version, GIL, optional modules
 * @param source     where it was found (PATH, /usr/bin, CONLAB_PYTHONS, a path given)
 */
public record Python(Path executable, PythonInfo info, String source) implements Target {

    @Override
    public String runtime() {
        return Vocabulary.PYTHON;
    }

    @Override
    public String label() {
        return info.label();
    }

    /**
     * Where the interpreter lives, told so that no two read alike: {@code pyenv}, {@code uv} or {@code conda} for their
     * installs, else the folder of the interpreter itself ({@code /usr/bin}).
     */
    public String origin() {
        String real = info.executable() == null ? executable.toString() : info.executable();
        try {
            real = Path.of(real).toRealPath().toString();
        } catch (java.io.IOException | RuntimeException e) {
            // as reported
        }
        if (real.contains("/.pyenv/") || real.contains("/pyenv/versions/")) return "pyenv";
        if (real.contains("/uv/python/")) return "uv";
        if (real.contains("conda") || real.contains("miniforge")) return "conda";
        Path parent = Path.of(info.executable() == null ? executable.toString() : info.executable()).getParent();
        return parent == null ? source : parent.toString();
    }

    /** "CPython 3.11.2 · /usr/bin": the label a list of interpreters shows. */
    public String choiceLabel() {
        return label() + " · " + origin();
    }

    /** "3.11". */
    public String feature() {
        return info.feature();
    }
}
