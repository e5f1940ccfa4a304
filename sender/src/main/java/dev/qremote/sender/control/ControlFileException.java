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

    public static ControlFileException invalid(String name, String what) {
        return new ControlFileException("control/" + name + ": " + what, true, null);
    }

    /** {@code line} of {@code name} (counted from 1 in the file) says {@code what}; reported as "NAME line N: WHAT". */
    public static ControlFileException invalidLine(String name, int line, String what) {
        return new ControlFileException(name + " line " + line + ": " + what, true, null);
    }

    /** True when the file was read but its content is wrong (worth naming in the report). */
    public boolean invalidContent() {
        return invalidContent;
    }
}
