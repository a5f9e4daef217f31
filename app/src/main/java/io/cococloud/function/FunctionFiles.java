package io.cococloud.function;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.cococloud.error.InvalidInputException;
import io.cococloud.runtime.PythonRuntime;

/**
 * The files of one function version, by path from the code root ("index.py", "lib/util.py"), checked before
 * anything runs or is stored: paths are relative, use '/', hold no "..", no NUL and no control characters; the
 * length of a path is bounded. Two kinds of files: <em>text</em> (every Python source, vendored ones included,
 * which must be UTF-8, and the function's own other UTF-8 files), kept as text, and <em>data</em> (every other
 * file: binary or non-UTF-8 files, a vendored package's templates and metadata), kept as bytes. The function's
 * own files (not a vendored package's, see {@link VendoredPackages}) keep the limits of a function's sources:
 * their number, and the size of each Python source and of all together (an own text file over the per-file
 * limit is kept as data); the whole upload has generous limits of its own. Editor and
 * VCS leftovers ({@code __pycache__}, {@code *.pyc}, {@code .git}, {@code __MACOSX}, {@code .DS_Store}) are left
 * out rather than refused: they come with any folder zipped as it is.
 */
final class FunctionFiles {

    /** Limits of the function's own files (vendored packages do not count). */
    static final int MAX_FILES = 300;
    static final int MAX_FILE_BYTES = 512 * 1024;
    static final int MAX_TOTAL_BYTES = 5 * 1024 * 1024;
    /** Limits of the whole upload: own files, vendored packages and data files. */
    static final int MAX_UPLOAD_FILES = 20_000;
    static final int MAX_UPLOAD_BYTES = 64 * 1024 * 1024;
    static final int MAX_PATH_LENGTH = 200;

    private static final Set<String> IGNORED_FOLDERS = Set.of("__pycache__", ".git", "__MACOSX");
    private static final Set<String> IGNORED_FILES = Set.of(".DS_Store");
    private static final List<String> IGNORED_ENDINGS = List.of(".pyc", ".pyo");

    private final Map<String, String> files;
    private final Map<String, byte[]> data;
    private final VendoredPackages vendored;
    /** Requirements of requirements.txt that nothing vendored is named for: see {@link PackageIndex}. */
    private final List<Requirement> missing;

    private FunctionFiles(Map<String, String> files, Map<String, byte[]> data, VendoredPackages vendored,
            List<Requirement> missing) {
        this.files = Collections.unmodifiableMap(files);
        this.data = Collections.unmodifiableMap(data);
        this.vendored = vendored;
        this.missing = List.copyOf(missing);
    }

    /** The files of a JSON {@code files} map; the keys are paths, the values the files' text. */
    static FunctionFiles of(Map<String, String> given) {
        return of(given, Map.of());
    }

    /** A stored version's text files and data files. */
    static FunctionFiles of(Map<String, String> given, Map<String, byte[]> data) {
        return of(given, data, List.of());
    }

    /** @param inLayer the project's package layer's distributions, which requirements.txt may name */
    static FunctionFiles of(Map<String, String> given, Map<String, byte[]> data,
            List<VendoredPackages.Distribution> inLayer) {
        Builder builder = new Builder(inLayer);
        given.forEach((raw, text) -> {
            if (raw == null) {
                throw new InvalidInputException("files has a null path");
            }
            String path = path(raw, "path");
            if (!ignored(path)) {
                if (text == null) {
                    throw new InvalidInputException("file '" + path + "' has no content (null); an empty file is \"\"");
                }
                builder.add(path, text);
            }
        });
        data.forEach(builder::add);
        return builder.build();
    }

    /** One file: a single-file function's code. */
    static FunctionFiles single(String path, String code) {
        return new FunctionFiles(new TreeMap<>(Map.of(path, code)), Map.of(), VendoredPackages.of(Map.of()),
                List.of());
    }

    /** Every text file by path, in path order: Python sources (vendored ones included) and own text files. */
    Map<String, String> map() {
        return files;
    }

    /** Every other file by path: binary or non-UTF-8 files, vendored packages' data and metadata. */
    Map<String, byte[]> data() {
        return data;
    }

    /**
     * The function's own Python sources, which a deploy compile-checks, and the entry file: vendored packages
     * are not checked (their many files would make a deploy slow, and they are not the deployer's to fix).
     */
    Map<String, String> ownSources(String entryFile) {
        Map<String, String> own = new TreeMap<>();
        files.forEach((path, text) -> {
            if (path.equals(entryFile) || path.endsWith(".py") && !vendored.vendored(path)) {
                own.put(path, text);
            }
        });
        return own;
    }

    /**
     * The requirements of {@code requirements.txt} that no vendored distribution is named for. A deploy refuses
     * them unless the operator's package index resolves them ({@link PackageIndex#resolve}).
     */
    List<Requirement> missingRequirements() {
        return missing;
    }

    /** Why a missing requirement is refused without a package index: the deploy's 400. */
    String missingMessage(Requirement requirement) {
        return vendored.missingMessage(requirement);
    }

    /** The versions of the vendored distributions, by normalised name. */
    Map<String, String> vendoredVersions() {
        Map<String, String> versions = new TreeMap<>();
        vendored.distributions().forEach(d -> versions.putIfAbsent(d.name(), d.version()));
        return versions;
    }

    /** The bytes of every file together: what counts against the upload's limit. */
    long totalBytes() {
        long total = 0;
        for (String text : files.values()) {
            total += text.getBytes(StandardCharsets.UTF_8).length;
        }
        for (byte[] bytes : data.values()) {
            total += bytes.length;
        }
        return total;
    }

    /**
     * The same files with wheels unpacked into {@code python_packages/} and one more data file (the record of
     * where they came from, replacing an earlier one), checked as an upload is: the upload's limits apply to the
     * total, native extensions and bytecode are refused.
     *
     * @param wheels wheels by file name
     */
    FunctionFiles withPackages(Map<String, byte[]> wheels, String recordPath, byte[] record) {
        Builder builder = new Builder();
        files.forEach((path, text) -> {
            if (!path.equals(recordPath)) {
                builder.add(path, text);
            }
        });
        data.forEach((path, bytes) -> {
            if (!path.equals(recordPath)) {
                builder.add(path, bytes);
            }
        });
        wheels.forEach((name, wheel) -> FunctionZip.unpackWheel(name, wheel, VendoredPackages.FOLDER, builder));
        builder.add(recordPath, record);
        return builder.build();
    }

    /** The text files' paths. */
    List<String> paths() {
        return List.copyOf(files.keySet());
    }

    boolean contains(String path) {
        return files.containsKey(path);
    }

    /** The same files with one text file replaced (or added). */
    FunctionFiles with(String path, String text) {
        return of(changed(path, text), data);
    }

    private Map<String, String> changed(String path, String text) {
        Map<String, String> changed = new TreeMap<>(files);
        changed.put(path, text);
        return changed;
    }

    /**
     * The normal form of a file's path, or a 400 naming what is wrong with it. "./" segments are dropped;
     * everything else that could name a file outside the code root, or two names for one file, is refused.
     *
     * @param what how the message names the path ("path", "zip entry")
     */
    static String path(String raw, String what) {
        String shown = printable(raw);
        if (raw.indexOf('\0') >= 0) {
            throw new InvalidInputException(what + " '" + shown + "' contains a NUL character");
        }
        if (raw.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException(what + " '" + shown + "' contains a control character");
        }
        if (raw.indexOf('\\') >= 0) {
            throw new InvalidInputException(what + " '" + shown + "' contains a backslash; separate folders with '/'");
        }
        if (raw.startsWith("/") || raw.matches("^[A-Za-z]:.*")) {
            throw new InvalidInputException(what + " '" + shown + "' is absolute; paths start at the code root");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : raw.split("/", -1)) {
            if (segment.equals("..")) {
                throw new InvalidInputException(what + " '" + shown
                        + "' contains '..'; paths stay inside the code root");
            }
            if (segment.isEmpty()) {
                throw new InvalidInputException(what + " '" + shown + "' has an empty folder or file name");
            }
            if (!segment.equals(".")) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty()) {
            throw new InvalidInputException(what + " '" + shown + "' names no file");
        }
        String path = String.join("/", segments);
        if (path.length() > MAX_PATH_LENGTH) {
            throw new InvalidInputException(what + " '" + shown + "' is " + path.length()
                    + " characters long; the limit is " + MAX_PATH_LENGTH);
        }
        return path;
    }

    /** Leftovers of editors, VCS and archivers, which nobody means to deploy. */
    static boolean ignored(String path) {
        String[] segments = path.split("/");
        for (int i = 0; i < segments.length - 1; i++) {
            if (IGNORED_FOLDERS.contains(segments[i])) {
                return true;
            }
        }
        String name = segments[segments.length - 1];
        return IGNORED_FILES.contains(name) || IGNORED_FOLDERS.contains(segments[0])
                || IGNORED_ENDINGS.stream().anyMatch(name::endsWith);
    }

    /** Compiled Python under any name is refused: see {@link PythonRuntime#isBytecode}. */
    static void refuseBytecode(String path, byte[] content) {
        if (PythonRuntime.isBytecode(content)) {
            throw new InvalidInputException("file '" + path + "' is compiled Python bytecode; upload the sources (the"
                    + " server compiles them itself)");
        }
    }

    static String printable(String raw) {
        StringBuilder shown = new StringBuilder();
        raw.codePoints().limit(MAX_PATH_LENGTH + 20L).forEach(c -> {
            if (c < 0x20 || c == 0x7f) {
                shown.append(String.format("\\u%04x", c));
            } else {
                shown.appendCodePoint(c);
            }
        });
        return shown.length() < raw.length() ? shown + "..." : shown.toString();
    }

    /**
     * Collects files, refusing a second file at one path and stopping at the upload's limits; {@link #build()}
     * sorts them into text and data, and applies the limits of the function's own files.
     */
    static final class Builder {
        private final Map<String, byte[]> bytes = new TreeMap<>();
        /** Files given as text (a JSON files map): text whatever their name. */
        private final Set<String> given = new java.util.HashSet<>();
        private long totalBytes;
        /** The project's package layer's distributions: requirements.txt may name them as vendored. */
        private final List<VendoredPackages.Distribution> inLayer;

        Builder() {
            this(List.of());
        }

        Builder(List<VendoredPackages.Distribution> inLayer) {
            this.inLayer = List.copyOf(inLayer);
        }

        /** What more the upload may hold, in bytes. */
        long bytesLeft() {
            return MAX_UPLOAD_BYTES - totalBytes;
        }

        /** A file given as text; @param path a path already in normal form */
        void add(String path, String text) {
            if (text.indexOf('\0') >= 0) {
                throw new InvalidInputException("file '" + path + "' contains a NUL character: it is not text");
            }
            add(path, text.getBytes(StandardCharsets.UTF_8));
            given.add(path);
        }

        /** A file as bytes (a zip's entry); @param path a path already in normal form */
        void add(String path, byte[] content) {
            if (bytes.containsKey(path)) {
                throw new InvalidInputException("Two files have the path '" + path + "'");
            }
            if (bytes.size() == MAX_UPLOAD_FILES) {
                throw new InvalidInputException("More than " + MAX_UPLOAD_FILES + " files; the limit is "
                        + MAX_UPLOAD_FILES + " files per upload, vendored packages included");
            }
            totalBytes += content.length;
            if (totalBytes > MAX_UPLOAD_BYTES) {
                throw new InvalidInputException("The files are more than " + MAX_UPLOAD_BYTES
                        + " bytes (64 MB) together; that is the limit per upload, vendored packages included");
            }
            bytes.put(path, content);
        }

        FunctionFiles build() {
            if (bytes.isEmpty()) {
                throw new InvalidInputException("files holds no file");
            }
            bytes.forEach((path, content) -> refuseBytecode(path, content));
            VendoredPackages vendored = VendoredPackages.of(bytes);
            Map<String, String> text = new TreeMap<>();
            Map<String, byte[]> data = new TreeMap<>();
            int ownFiles = 0;
            long ownBytes = 0;
            for (Map.Entry<String, byte[]> file : bytes.entrySet()) {
                String path = file.getKey();
                boolean source = path.endsWith(".py");
                boolean own = !vendored.vendored(path);
                String decoded = given.contains(path) ? new String(file.getValue(), StandardCharsets.UTF_8)
                        : text(file.getValue());
                if (source && decoded == null) {
                    throw new InvalidInputException("file '" + path + "' is " + (binary(file.getValue())
                            ? "binary" : "not UTF-8 text") + "; Python sources must be UTF-8 text");
                }
                if (own) {
                    ownFiles++;
                }
                int size = file.getValue().length;
                if (own && source) {
                    if (size > MAX_FILE_BYTES) {
                        throw new InvalidInputException("file '" + path + "' is " + size + " bytes; the limit is "
                                + MAX_FILE_BYTES + " bytes (512 KB) per file");
                    }
                    ownBytes += size;
                }
                // an own text file beyond the source limit is data: shown by size, not in diffs
                if (decoded != null && (source || own && size <= MAX_FILE_BYTES)) {
                    text.put(path, decoded);
                } else {
                    data.put(path, file.getValue());
                }
            }
            if (ownFiles > MAX_FILES) {
                throw new InvalidInputException("The function's own files are " + ownFiles + " files; the limit is "
                        + MAX_FILES + " files per function (vendored packages do not count)");
            }
            if (ownBytes > MAX_TOTAL_BYTES) {
                throw new InvalidInputException("The function's own Python sources are more than " + MAX_TOTAL_BYTES
                        + " bytes (5 MB) together; that is the limit per function (vendored packages do not count)");
            }
            String requirements = text.get(VendoredPackages.REQUIREMENTS);
            List<Requirement> missing = List.of();
            if (requirements != null) {
                missing = vendored.missing(requirements, inLayer);
            } else if (data.containsKey(VendoredPackages.REQUIREMENTS)) {
                throw new InvalidInputException(VendoredPackages.REQUIREMENTS + " is not UTF-8 text");
            }
            return new FunctionFiles(text, data, vendored, missing);
        }

        /** The file's text, or null when it is binary (a NUL) or not UTF-8. */
        private static String text(byte[] content) {
            if (binary(content)) {
                return null;
            }
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
            } catch (CharacterCodingException e) {
                return null;
            }
        }

        private static boolean binary(byte[] content) {
            for (byte b : content) {
                if (b == 0) {
                    return true;
                }
            }
            return false;
        }
    }
}
