package dev.qremote.sender.control;

/** A control file exists but cannot be read, or says something that cannot be meant. */
public final class ControlFileException extends Exception {
    private static final long serialVersionUID = 1L;
    private final boolean invalidContent;

    private ControlFileException(String message, boolean invalidContent, Throwable cause) {
        super(message, cause);
        this.invalidContent = invalidContent;
    }

    public static ControlFileException unreadable(String name, Throwable cause) {
        return new ControlFileException("control/" + name + " is unreadable", false, cause);
    }

    /** {@code name} exists but is no directory (a FIFO, a device, a file, a symbolic link to one or to nothing). */
    public static ControlFileException notADirectory(String name) {
        return new ControlFileException("control/" + name + " is not a directory", false, null);
    }

    public static ControlFileException invalid(String name, String what) {
        return new ControlFileException("control/" + name + ": " + what, true, null);
    }

    /** {@code line} of {@code name} (counted from 1 in the file) says {@code what}; reported as "NAME line N: WHAT". */
    public static ControlFileException invalidLine(String name, int line, String what) {
        return new ControlFileException(name + " line " + line + ": " + what, true, null);
    }

    /**
     * The same problem as a new exception: a snapshot records a problem once and each delivery that meets it
     * raises its own, with the message (the report's detail) unchanged.
     */
    public static ControlFileException again(ControlFileException recorded) {
        return new ControlFileException(recorded.getMessage(), recorded.invalidContent, null);
    }

    /** A problem found by a parser outside this package (tlsdestinations, dnssec): content, named as given. */
    public static ControlFileException invalidAsSaid(String message) {
        return new ControlFileException(message, true, null);
    }

    /** True when the file was read but its content is wrong (worth naming in the report). */
    public boolean invalidContent() {
        return invalidContent;
    }
}
