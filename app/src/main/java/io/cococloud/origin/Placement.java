package io.cococloud.origin;

/** Where a piece of a project's tenant content (a function's answer, a static file) may be served. */
public sealed interface Placement {

    /** Serve it here; {@code sandboxed}: on a host shared with the console, under the CSP sandbox. */
    record Here(boolean sandboxed) implements Placement {}

    /** Not on this host: answer 308 to the same path and query at the project's own origin. */
    record MoveTo(String url) implements Placement {}

    /** Another project's host (or no project's): answer as if the content did not exist. */
    record NotHere() implements Placement {}
}
