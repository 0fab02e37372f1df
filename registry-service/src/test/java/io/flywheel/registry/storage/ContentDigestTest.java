package io.flywheel.registry.storage;

import io.flywheel.registry.InvalidRequestException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ContentDigestTest {

    // SHA-256 of "abc"
    private static final String ABC_HEX = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    private static final String ABC_BASE64 = "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=";

    @Test
    void readsTheSha256OfADigestHeader() {
        assertThat(ContentDigest.sha256Hex("sha-256=" + ABC_BASE64)).isEqualTo(ABC_HEX);
        assertThat(ContentDigest.sha256Hex("md5=xyz, SHA-256=" + ABC_BASE64)).isEqualTo(ABC_HEX);
        assertThat(ContentDigest.sha256Hex(null)).isNull();
    }

    @Test
    void writesTheHeaderBack() {
        assertThat(ContentDigest.header(ABC_HEX)).isEqualTo("sha-256=" + ABC_BASE64);
    }

    @Test
    void refusesHeadersItCanNotUse() {
        assertThatThrownBy(() -> ContentDigest.sha256Hex("md5=abc")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("no sha-256");
        assertThatThrownBy(() -> ContentDigest.sha256Hex("sha-256=not base64!")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> ContentDigest.sha256Hex("sha-256=YWJj")).isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining("32 bytes");
    }
}
