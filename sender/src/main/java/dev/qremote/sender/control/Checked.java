package dev.qremote.sender.control;

import java.util.Optional;

/**
 * A setting read from a control file, or the problem that keeps it from being used. Control snapshots
 * record problems instead of failing, because a problem in some files only matters to some deliveries
 * (domaincerts only once a mail exchanger was found, authplaintext only for a route with credentials);
 * each delivery raises the problem where it needs the setting. Immutable when the value is.
 */
public final class Checked<T> {
    private final T value;
    private final ControlFileException problem;

    private Checked(T value, ControlFileException problem) {
        this.value = value;
        this.problem = problem;
    }

    /** Reading a setting, which may fail with the problem to record. */
    @FunctionalInterface
    public interface Reading<T> {
        T read() throws ControlFileException;
    }

    public static <T> Checked<T> of(T value) {
        return new Checked<>(value, null);
    }

    public static <T> Checked<T> failed(ControlFileException problem) {
        return new Checked<>(null, problem);
    }

    /** The value {@code reading} gives, or the problem it throws. */
    public static <T> Checked<T> read(Reading<T> reading) {
        try {
            return of(reading.read());
        } catch (ControlFileException e) {
            return failed(e);
        }
    }

    /**
     * The value.
     *
     * @throws ControlFileException a new exception with the recorded problem's message and kind
     */
    public T get() throws ControlFileException {
        if (problem != null) {
            throw ControlFileException.again(problem);
        }
        return value;
    }

    /** The problem as the report names it ({@code getMessage()}), if there is one. */
    public Optional<ControlFileException> problem() {
        return Optional.ofNullable(problem).map(ControlFileException::again);
    }
}
