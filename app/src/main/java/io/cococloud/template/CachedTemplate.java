package io.cococloud.template;

import com.hubspot.jinjava.tree.Node;

/**
 * One version of a stored template as renders use it. The parse happens once, on first render; a parsed tree is
 * safe to share between threads (docs/architecture.md#templates), so every later render of this version reuses it.
 */
final class CachedTemplate {

    private final String name;
    private final int version;
    private final String content;
    private volatile Parsed parsed;

    /** The tree, or the author-facing reason the source does not parse and its first line (0: not known). */
    record Parsed(Node root, String error, int errorLine) {}

    CachedTemplate(String name, int version, String content) {
        this.name = name;
        this.version = version;
        this.content = content;
    }

    String name() {
        return name;
    }

    int version() {
        return version;
    }

    String content() {
        return content;
    }

    Parsed parsed() {
        return parsed;
    }

    /** Two threads may both parse the first time; either result is the same, so no lock is needed. */
    void parsed(Parsed value) {
        parsed = value;
    }
}
