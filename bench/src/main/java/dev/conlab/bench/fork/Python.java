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

    /** "3.11". */
    public String feature() {
        return info.feature();
    }
}
