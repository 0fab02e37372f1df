package io.flywheel.deploy.external;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * Header values for external endpoints, read by reference from deploy's secrets directory
 * ({@code deploy.external.secrets-dir}): the secret {@code churn-token} is the file
 * {@code <secrets-dir>/churn-token}, its content trimmed (a Kubernetes Secret mounted as a volume
 * gives exactly that). A version names the secret, never its value.
 *
 * <p>A value is cached and the file looked at again (modification time and size, one {@code stat})
 * at most once per {@code recheck}, so a rotated secret is used within that time without a
 * restart and the request path does not touch the disk on every call. Kubernetes swaps a mounted
 * secret through a symbolic link; the attributes are read through it.
 *
 * <p>Values are never logged and no message carries one: errors name the reference only. A
 * reference is a plain file name ({@code [A-Za-z0-9._-]}, not starting with a dot), so a version
 * cannot read {@code ../../etc/passwd} or a hidden file of the mount ({@code ..data}).
 */
public final class SecretRefs {

    /** A secret that can't be read: missing, empty, unreadable or a reference that is not a plain name. */
    public static final class SecretUnavailableException extends RuntimeException {
        public SecretUnavailableException(String message) {
            super(message, null, false, false);
        }
    }

    /** A value with a {@code toString} that does not show it, so it can't reach a log by accident. */
    public record Secret(String ref, String value) {
        @Override
        public String toString() {
            return "Secret[" + ref + "]";
        }
    }

    private record Cached(Secret secret, FileTime modified, long size, long checkedNanos) {
    }

    private static final Pattern REF = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}");

    private final Path directory;
    private final long recheckNanos;
    private final LongSupplier nanoClock;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    /**
     * @param directory the secrets directory; null when none is configured (every reference then fails)
     * @param recheck   how long a value is used before the file is looked at again
     * @param nanoClock {@link System#nanoTime} outside tests
     */
    public SecretRefs(Path directory, Duration recheck, LongSupplier nanoClock) {
        this.directory = directory;
        this.recheckNanos = recheck.toNanos();
        this.nanoClock = nanoClock;
    }

    public SecretRefs(Path directory, Duration recheck) {
        this(directory, recheck, System::nanoTime);
    }

    /** Checks that a reference is a plain name, without reading it (for validating a version). */
    public static void checkRef(String ref) {
        if (ref == null || !REF.matcher(ref).matches()) {
            throw new SecretUnavailableException("secret_ref '" + ref + "' must be a file name of letters, digits, '.', '_' and '-', not starting with '.'");
        }
    }

    /**
     * The secret's current value.
     *
     * @throws SecretUnavailableException naming the reference (never the value) when it can't be read
     */
    public Secret get(String ref) {
        long now = nanoClock.getAsLong();
        Cached cached = cache.get(ref);
        if (cached != null && now - cached.checkedNanos() < recheckNanos) {
            return cached.secret();
        }
        checkRef(ref);
        if (directory == null) {
            throw new SecretUnavailableException("secret '" + ref + "' can't be read: deploy has no secrets directory (deploy.external.secrets-dir)");
        }
        Path file = directory.resolve(ref);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            cache.remove(ref);
            throw new SecretUnavailableException("secret '" + ref + "' is not in deploy's secrets directory (deploy.external.secrets-dir)");
        } catch (IOException e) {
            cache.remove(ref);
            throw new SecretUnavailableException("secret '" + ref + "' can't be read: " + e.getClass().getSimpleName());
        }
        if (!attributes.isRegularFile()) {
            throw new SecretUnavailableException("secret '" + ref + "' in deploy's secrets directory is not a file");
        }
        FileTime modified = attributes.lastModifiedTime();
        if (cached != null && cached.modified().equals(modified) && cached.size() == attributes.size()) {
            cache.put(ref, new Cached(cached.secret(), modified, attributes.size(), now));
            return cached.secret();
        }
        String value;
        try {
            value = Files.readString(file, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new SecretUnavailableException("secret '" + ref + "' can't be read: " + e.getClass().getSimpleName());
        }
        if (value.isEmpty()) {
            throw new SecretUnavailableException("secret '" + ref + "' is empty");
        }
        if (value.chars().anyMatch(c -> c < 0x20 && c != '\t' || c == 0x7f)) {
            // a header value can't hold line breaks or control characters (and must not smuggle a second header)
            throw new SecretUnavailableException("secret '" + ref + "' has line breaks or control characters inside; a header value must be one line");
        }
        Secret secret = new Secret(ref, value);
        cache.put(ref, new Cached(secret, modified, attributes.size(), now));
        return secret;
    }
}
