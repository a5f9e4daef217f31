package io.cococloud.runtime;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AccessMode;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.graalvm.polyglot.io.FileSystem;

/**
 * The read-only file system of one sandboxed context: the files of the version it is running, at {@code /code};
 * the compiled standard library at {@link CompiledStandardLibrary#MOUNT}; the bytecode of the version's Python files
 * at {@link #BYTECODE}{@code /code/<path>}, made by {@link FunctionBytecode} when first read. Nothing else exists
 * (host files stay out of reach: {@code /etc/passwd} is not found), nothing can be written ({@code PermissionError}).
 * A context serves every function of its project, one call at a time, so the runtime {@link #show shows} the called
 * version's tree before each call: a pointer switch, no copying.
 *
 * <p>The bytecode is not at the {@code __pycache__} paths Python's own import system looks for: that one caches code
 * by file name, modification time and size, which two projects' {@code /code/index.py} can share.
 *
 * <p>Paths are only names here: they are parsed with the host's path syntax (POSIX) but never reach its disk.
 */
final class CodeFileSystem implements FileSystem {

    /** Every file and folder reports this time: the sources never change, and a fixed time keeps it so for tools. */
    static final FileTime MODIFIED = FileTime.from(Instant.parse("2025-01-01T00:00:00Z"));
    private static final Path CODE = Path.of(CodeTree.ROOT);
    /** Where a context reads the bytecode of its version's Python files: {@code /.bytecode/code/lib/util.py}. */
    static final String BYTECODE = "/.bytecode";

    /**
     * Folders of the host shown read-only, by where contexts see them: the compiled standard library (the copy this
     * server made) at {@link CompiledStandardLibrary#MOUNT}, the host's time zone data at {@link #TIME_ZONES}.
     */
    private final Map<String, Path> hostFolders;
    /** Where contexts find time zone data (zoneinfo's TZPATH): the host's, when it has some. */
    static final String TIME_ZONES = "/usr/share/zoneinfo";
    private final FunctionBytecode bytecode;
    /** The runtime's own Python package by file name ("&lt;cococloud&gt;/cococloud/invoke.py"): loaded as bytecode too. */
    private final Map<String, byte[]> runtimeFiles;

    private volatile CodeTree shown = CodeTree.empty();
    private volatile String shownKey;
    /** The trees of the versions loaded in this context, so that switching between them costs one lookup. */
    private final Map<String, CodeTree> trees = new HashMap<>();

    CodeFileSystem(Map<String, Path> hostFolders, FunctionBytecode bytecode, Map<String, byte[]> runtimeFiles) {
        this.hostFolders = hostFolders;
        this.bytecode = bytecode;
        this.runtimeFiles = runtimeFiles;
    }

    /** The version's files only: no standard library copy, no bytecode. */
    CodeFileSystem() {
        this(Map.of(), null, Map.of());
    }

    /**
     * Wrapped so that GraalPy still reads its own standard library (its internal resources) besides these files:
     * without it, the standard library disappears from the context.
     */
    FileSystem forContext() {
        return FileSystem.allowInternalResourceAccess(this);
    }

    /**
     * Makes the function's version the one whose files the context sees. Called on the context's calling thread
     * before the version is loaded or invoked.
     */
    void show(FunctionCode function) {
        String key = function.key();
        if (key.equals(shownKey)) {
            return;
        }
        CodeTree tree = trees.computeIfAbsent(key, k -> CodeTree.of(function));
        shown = tree;
        shownKey = key;
    }

    /** The version is unloaded from the context: its tree goes too. */
    void forget(String key) {
        trees.remove(key);
    }

    @Override
    public Path parsePath(URI uri) {
        if (!"file".equals(uri.getScheme())) {
            throw new UnsupportedOperationException("only file: URIs name files here");
        }
        return Path.of(uri.getPath());
    }

    @Override
    public Path parsePath(String path) {
        return Path.of(path);
    }

    @Override
    public Path toAbsolutePath(Path path) {
        return path.isAbsolute() ? path : CODE.resolve(path);
    }

    @Override
    public Path toRealPath(Path path, LinkOption... linkOptions) throws IOException {
        Path real = normalized(path);
        if (kind(real.toString()) == null) {
            throw new NoSuchFileException(path.toString());
        }
        return real;
    }

    @Override
    public void checkAccess(Path path, Set<? extends AccessMode> modes, LinkOption... linkOptions)
            throws IOException {
        String name = normalized(path).toString();
        if (kind(name) == null) {
            throw new NoSuchFileException(path.toString());
        }
        if (modes.contains(AccessMode.WRITE)) {
            throw readOnly(path);
        }
    }

    @Override
    public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
        throw readOnly(dir);
    }

    @Override
    public void delete(Path path) throws IOException {
        throw readOnly(path);
    }

    @Override
    public SeekableByteChannel newByteChannel(Path path, Set<? extends OpenOption> options,
            FileAttribute<?>... attrs) throws IOException {
        for (OpenOption option : options) {
            if (option != StandardOpenOption.READ && option != LinkOption.NOFOLLOW_LINKS) {
                throw readOnly(path); // WRITE, APPEND, CREATE, TRUNCATE_EXISTING, DELETE_ON_CLOSE ...
            }
        }
        String name = normalized(path).toString();
        Path onDisk = onDisk(name);
        if (onDisk != null) {
            if (Files.isDirectory(onDisk)) {
                throw new AccessDeniedException(path.toString(), null, "is a directory");
            }
            try {
                return Files.newByteChannel(onDisk, StandardOpenOption.READ);
            } catch (IOException e) {
                throw withoutHostPath(e, path); // the host's path stays out of the message
            }
        }
        byte[] bytes = name.startsWith(BYTECODE + "/") ? compiled(name) : shown.file(name);
        if (bytes == null) {
            if (shown.folder(name) != null) {
                throw new AccessDeniedException(path.toString(), null, "is a directory");
            }
            throw new NoSuchFileException(path.toString());
        }
        return new ReadOnlyChannel(bytes);
    }

    @Override
    public DirectoryStream<Path> newDirectoryStream(Path dir, DirectoryStream.Filter<? super Path> filter)
            throws IOException {
        Path folder = normalized(dir);
        Path onDisk = onDisk(folder.toString());
        if (onDisk != null) {
            return onDiskListing(dir, onDisk, filter);
        }
        var names = shown.folder(folder.toString());
        if (names == null) {
            if (shown.file(folder.toString()) != null) {
                throw new NotDirectoryException(dir.toString());
            }
            throw new NoSuchFileException(dir.toString());
        }
        List<Path> entries = new ArrayList<>(names.size());
        for (String child : names) {
            Path entry = dir.resolve(child);
            if (filter.accept(entry)) {
                entries.add(entry);
            }
        }
        return listing(entries);
    }

    private static DirectoryStream<Path> listing(List<Path> entries) {
        return new DirectoryStream<>() {
            @Override
            public Iterator<Path> iterator() {
                return entries.iterator();
            }

            @Override
            public void close() {
            }
        };
    }

    @Override
    public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
            throws IOException {
        String name = normalized(path).toString();
        Path onDisk = onDisk(name);
        if (onDisk != null) {
            try {
                BasicFileAttributes disk = Files.readAttributes(onDisk, BasicFileAttributes.class);
                // the disk's modification time: the standard library's bytecode recorded it
                return attributes(name, disk.isDirectory(), disk.size(), disk.lastModifiedTime());
            } catch (IOException e) {
                throw withoutHostPath(e, path);
            }
        }
        Kind kind = kind(name);
        if (kind == null) {
            throw new NoSuchFileException(path.toString());
        }
        boolean folder = kind == Kind.FOLDER;
        long size = folder ? 0 : name.startsWith(BYTECODE + "/") ? compiled(name).length : shown.file(name).length;
        return attributes(name, folder, size, MODIFIED);
    }

    /** Every basic and unix attribute, whichever were asked for: the caller takes the ones it needs. */
    private static Map<String, Object> attributes(String name, boolean folder, long size, FileTime modified) {
        Map<String, Object> values = new HashMap<>();
        values.put("size", size);
        values.put("lastModifiedTime", modified);
        values.put("lastAccessTime", modified);
        values.put("creationTime", modified);
        values.put("ctime", modified);
        values.put("isRegularFile", !folder);
        values.put("isDirectory", folder);
        values.put("isSymbolicLink", false);
        values.put("isOther", false);
        values.put("fileKey", name);
        values.put("mode", folder ? 040555 : 0100444); // read-only for everyone
        values.put("ino", (long) name.hashCode() & 0xffffffffL);
        values.put("dev", 0L);
        values.put("rdev", 0L);
        values.put("nlink", 1);
        values.put("uid", 0);
        values.put("gid", 0);
        return values;
    }

    @Override
    public void setCurrentWorkingDirectory(Path currentWorkingDirectory) {
        // the working directory is always /code
    }

    private enum Kind { FILE, FOLDER }

    private Kind kind(String normalized) {
        Path onDisk = onDisk(normalized);
        if (onDisk != null) {
            return Files.isDirectory(onDisk) ? Kind.FOLDER : Files.isRegularFile(onDisk) ? Kind.FILE : null;
        }
        if (normalized.startsWith(BYTECODE + "/")) {
            return compiled(normalized) != null ? Kind.FILE : null;
        }
        CodeTree tree = shown;
        if (tree.file(normalized) != null) {
            return Kind.FILE;
        }
        return tree.folder(normalized) != null ? Kind.FOLDER : null;
    }

    /** Where a path under one of the host folders' mounts is on the host's disk, or null for any other path. */
    private Path onDisk(String normalized) {
        for (Map.Entry<String, Path> folder : hostFolders.entrySet()) {
            String mount = folder.getKey();
            if (normalized.equals(mount)) {
                return folder.getValue();
            }
            if (normalized.startsWith(mount + "/")) { // normalized: no "..", so the path stays inside the folder
                return folder.getValue().resolve(normalized.substring(mount.length() + 1));
            }
        }
        return null;
    }

    /**
     * The bytecode of the Python file that {@code /.bytecode/code/...} (the shown version's) or
     * {@code /.bytecode/<cococloud>/...} (the runtime's) names, or null.
     */
    private byte[] compiled(String normalized) {
        String file = normalized.substring(BYTECODE.length());
        if (bytecode == null || !file.endsWith(".py")) {
            return null;
        }
        boolean ofTheVersion = file.startsWith(CodeTree.ROOT + "/");
        String name = ofTheVersion ? file : file.substring(1); // the file name its code carries
        byte[] source = ofTheVersion ? shown.file(file) : runtimeFiles.get(name);
        return source == null ? null : bytecode.of(name, source);
    }

    private static DirectoryStream<Path> onDiskListing(Path dir, Path onDisk,
            DirectoryStream.Filter<? super Path> filter) throws IOException {
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> disk = Files.newDirectoryStream(onDisk)) {
            for (Path child : disk) {
                Path entry = dir.resolve(child.getFileName().toString());
                if (filter.accept(entry)) {
                    entries.add(entry);
                }
            }
        } catch (IOException e) {
            throw withoutHostPath(e, dir); // the host's path stays out of the messages
        }
        return listing(entries);
    }

    private Path normalized(Path path) {
        return toAbsolutePath(path).normalize();
    }

    /** The same failure named by the path the context asked for, never by where the copy is on the host. */
    private static IOException withoutHostPath(IOException e, Path path) {
        if (e instanceof NoSuchFileException) {
            return new NoSuchFileException(path.toString());
        }
        if (e instanceof NotDirectoryException) {
            return new NotDirectoryException(path.toString());
        }
        if (e instanceof AccessDeniedException) {
            return new AccessDeniedException(path.toString());
        }
        return new IOException("cannot read " + path);
    }

    private static AccessDeniedException readOnly(Path path) {
        return new AccessDeniedException(path.toString(), null, "read-only file system");
    }

    /** A file's bytes, readable and seekable, never writable. */
    private static final class ReadOnlyChannel implements SeekableByteChannel {
        private final byte[] bytes;
        private long position;
        private boolean open = true;

        ReadOnlyChannel(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read(ByteBuffer target) {
            if (position >= bytes.length) {
                return -1;
            }
            int count = (int) Math.min(target.remaining(), bytes.length - position);
            target.put(bytes, (int) position, count);
            position += count;
            return count;
        }

        @Override
        public int write(ByteBuffer source) {
            throw new NonWritableChannelException();
        }

        @Override
        public long position() {
            return position;
        }

        @Override
        public SeekableByteChannel position(long newPosition) {
            position = newPosition;
            return this;
        }

        @Override
        public long size() {
            return bytes.length;
        }

        @Override
        public SeekableByteChannel truncate(long size) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
