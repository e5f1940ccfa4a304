package dev.qremote.sender.routing;

/** A route line that cannot be followed as written. */
public final class RouteException extends Exception {
    private static final long serialVersionUID = 1L;

    public RouteException(String message) {
        super(message);
    }
}
