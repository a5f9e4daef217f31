package io.cococloud.realtime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Why a socket is refused or closed: the message sent first ({@code {"error": ...}}, as CocoBase words it) and the
 * close code (docs/realtime.md#close-codes).
 */
class ChannelRefusal extends RuntimeException {

    static final int BAD_MESSAGE = 4400;
    static final int UNAUTHENTICATED = 4401;
    static final int FORBIDDEN = 4403;
    static final int NOT_FOUND = 4404;
    static final int AUTH_TIMEOUT = 4408;
    static final int TOO_MANY = 4429;
    static final int FELL_BEHIND = 4500;

    private final int code;
    private final Map<String, Object> details = new LinkedHashMap<>();

    ChannelRefusal(int code, String error) {
        super(error, null, false, false);
        this.code = code;
    }

    ChannelRefusal with(String name, Object value) {
        details.put(name, value);
        return this;
    }

    int code() {
        return code;
    }

    /** {@code {"error": ..., details...}} */
    Map<String, Object> message() {
        Map<String, Object> message = new LinkedHashMap<>();
        message.put("error", getMessage());
        message.putAll(details);
        return message;
    }
}
