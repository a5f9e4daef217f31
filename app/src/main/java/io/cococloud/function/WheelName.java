package io.cococloud.function;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A wheel's file name as PEP 427 writes it, {@code {name}-{version}(-{build})?-{python}-{abi}-{platform}.whl},
 * and whether its tags (PEP 425, compressed tag sets like {@code py2.py3} included) fit the sandbox: pure Python
 * for Python 3 ({@code py3}, or {@code py3N} up to {@code py312}), no ABI ({@code none}), any platform
 * ({@code any}). Anything else (a {@code cp312-cp312-manylinux...} wheel) carries compiled code or targets
 * another interpreter.
 *
 * @param file    the file name
 * @param name    the distribution's name, normalised (PEP 503)
 * @param version the version as the file name writes it
 * @param tags    the three tag sets, as written ({@code py2.py3-none-any})
 */
record WheelName(String file, String name, String version, String tags) {

    private static final Pattern FORM = Pattern.compile(
            "([^-]+)-([^-]+)(?:-[0-9][^-]*)?-([^-]+)-([^-]+)-([^-]+)\\.whl", Pattern.CASE_INSENSITIVE);
    private static final Pattern PYTHON_3 = Pattern.compile("py3(?:[0-9]|1[0-2])?");

    /** The wheel a file name names, or null when it is not a wheel's name. */
    static WheelName parse(String file) {
        Matcher m = FORM.matcher(file);
        if (!m.matches()) {
            return null;
        }
        return new WheelName(file, VendoredPackages.normalised(m.group(1)), m.group(2),
                m.group(3) + "-" + m.group(4) + "-" + m.group(5));
    }

    /** Whether the sandbox runs it: pure Python 3, no ABI, any platform. */
    boolean pure() {
        String[] parts = tags.split("-");
        return List.of(parts[0].split("\\.")).stream().anyMatch(t -> PYTHON_3.matcher(t).matches())
                && List.of(parts[1].split("\\.")).contains("none") && List.of(parts[2].split("\\.")).contains("any");
    }
}
