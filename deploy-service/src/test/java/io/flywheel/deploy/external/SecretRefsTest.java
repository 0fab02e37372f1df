package io.flywheel.deploy.external;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretRefsTest {

    @TempDir
    Path dir;

    private final AtomicLong nanos = new AtomicLong();

    private SecretRefs secrets() {
        return new SecretRefs(dir, Duration.ofSeconds(1), nanos::get);
    }

    @Test
    void readsTheFileNamedByTheReferenceTrimmed() throws IOException {
        Files.writeString(dir.resolve("churn-token"), "  Bearer s3cr3t\n");
        SecretRefs.Secret secret = secrets().get("churn-token");
        assertThat(secret.value()).isEqualTo("Bearer s3cr3t");
        assertThat(secret.toString()).isEqualTo("Secret[churn-token]").doesNotContain("s3cr3t");
    }

    @Test
    void aChangedFileIsReadAgainOnceTheRecheckIntervalHasPassed() throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, "old");
        SecretRefs secrets = secrets();
        assertThat(secrets.get("token").value()).isEqualTo("old");

        // rotated as Kubernetes does: a new file moved into place
        Path next = dir.resolve(".next");
        Files.writeString(next, "new-and-longer");
        Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        nanos.addAndGet(Duration.ofMillis(500).toNanos());
        assertThat(secrets.get("token").value()).as("cached within the interval").isEqualTo("old");
        nanos.addAndGet(Duration.ofMillis(600).toNanos());
        assertThat(secrets.get("token").value()).isEqualTo("new-and-longer");
    }

    @Test
    void aRewriteOfTheSameLengthIsSeenByItsModificationTime() throws IOException {
        Path file = dir.resolve("token");
        Files.writeString(file, "aaaa");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:00Z")));
        SecretRefs secrets = secrets();
        assertThat(secrets.get("token").value()).isEqualTo("aaaa");
        Files.writeString(file, "bbbb");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2026-01-01T00:00:01Z")));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThat(secrets.get("token").value()).isEqualTo("bbbb");
    }

    @Test
    void aMissingSecretNamesTheReferenceAndTheSetting() throws IOException {
        assertThatThrownBy(() -> secrets().get("churn-token")).isInstanceOf(SecretRefs.SecretUnavailableException.class)
                .hasMessage("secret 'churn-token' is not in deploy's secrets directory (deploy.external.secrets-dir)");
        Files.writeString(dir.resolve("gone"), "value-1");
        SecretRefs secrets = secrets();
        secrets.get("gone");
        Files.delete(dir.resolve("gone"));
        nanos.addAndGet(Duration.ofSeconds(2).toNanos());
        assertThatThrownBy(() -> secrets.get("gone")).hasMessageContaining("'gone'").hasMessageNotContaining("value-1");
    }

    @Test
    void anEmptyOrMultiLineSecretIsRefusedWithoutShowingIt() throws IOException {
        Files.writeString(dir.resolve("empty"), " \n");
        Files.writeString(dir.resolve("two-lines"), "Bearer abc\r\nX-Injected: yes");
        assertThatThrownBy(() -> secrets().get("empty")).hasMessage("secret 'empty' is empty");
        assertThatThrownBy(() -> secrets().get("two-lines")).hasMessageContaining("line breaks")
                .hasMessageNotContaining("abc").hasMessageNotContaining("Injected");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../etc/passwd", "..", ".hidden", "..data", "a/b", "/etc/passwd", "a\\b", "", "tok en"})
    void aReferenceIsAPlainFileNameNeverAPath(String ref) {
        assertThatThrownBy(() -> secrets().get(ref)).isInstanceOf(SecretRefs.SecretUnavailableException.class)
                .hasMessageContaining("must be a file name");
    }

    @Test
    void withoutASecretsDirectoryEveryReferenceFailsClearly() {
        assertThatThrownBy(() -> new SecretRefs(null, Duration.ofSeconds(1)).get("token"))
                .hasMessageContaining("no secrets directory (deploy.external.secrets-dir)");
    }

    @Test
    void aDirectoryIsNotASecret() throws IOException {
        Files.createDirectory(dir.resolve("sub"));
        assertThatThrownBy(() -> secrets().get("sub")).hasMessageContaining("is not a file");
    }
}
