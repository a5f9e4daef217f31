package io.cococloud.function;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cococloud.error.InvalidInputException;

/**
 * A function's {@code handler} setting, {@code file.method} as Function Compute has it: {@code index.handler}
 * is the entry point {@code handler} in {@code index.py}; {@code api/main.handler} is {@code handler} in
 * {@code api/main.py}. The file is everything before the last dot, so the method is a plain name.
 *
 * @param entryFile the file it names, a path of the function's files ("api/main.py")
 * @param entryName the entry point's name in that file
 */
record HandlerSetting(String entryFile, String entryName) {

    private static final Pattern FORM = Pattern.compile("(.+)\\.([A-Za-z_][A-Za-z0-9_]*)");

    /** The setting's meaning, or a 400 saying the form it must have. */
    static HandlerSetting parse(String handler) {
        Matcher matcher = FORM.matcher(handler);
        if (!matcher.matches()) {
            throw new InvalidInputException("handler '" + FunctionFiles.printable(handler) + "' must be file.method,"
                    + " e.g. index.handler (handler in index.py) or api/main.handler (in api/main.py)")
                    .with("field", "handler");
        }
        return new HandlerSetting(FunctionFiles.path(matcher.group(1) + ".py", "handler's file"), matcher.group(2));
    }
}
