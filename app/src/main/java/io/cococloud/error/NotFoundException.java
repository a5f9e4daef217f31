package io.cococloud.error;

/**
 * What the request names does not exist, or the caller may not know that it does: the two answer alike, so that
 * another project's names cannot be probed.
 */
public non-sealed class NotFoundException extends DomainException {

    public NotFoundException(String message) {
        super(message);
    }

    /** "{what} does not exist or you cannot see it". */
    public static NotFoundException of(String what) {
        return new NotFoundException(what + " does not exist or you cannot see it");
    }
}
