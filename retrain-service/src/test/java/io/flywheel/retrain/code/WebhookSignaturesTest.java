package io.flywheel.retrain.code;

import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignaturesTest {

    private static final byte[] BODY = "{\"ref\":\"refs/heads/main\",\"after\":\"0123abcd\"}".getBytes(StandardCharsets.UTF_8);

    /** The HMAC computed here with the JDK directly, independently of the code under test. */
    private static String hmac(String secret, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
    }

    @Test
    void githubsPublishedExampleVerifies() {
        // GitHub's documentation ("Validating webhook deliveries"): this secret, this payload, this signature
        String secret = "It's a Secret to Everybody";
        byte[] payload = "Hello, World!".getBytes(StandardCharsets.UTF_8);
        String header = "sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17";

        assertThat(WebhookSignatures.github(secret, payload, header)).isTrue();
        assertThat(WebhookSignatures.githubHeader(secret, payload)).isEqualTo(header);
    }

    @Test
    void aGithubSignatureMatchesOnlyTheSecretAndTheExactBody() throws Exception {
        String header = hmac("s3cret", BODY);
        assertThat(WebhookSignatures.github("s3cret", BODY, header)).isTrue();
        assertThat(WebhookSignatures.github("s3cret", BODY, header.toUpperCase().replace("SHA256=", "sha256="))).as("hex in upper case").isTrue();

        assertThat(WebhookSignatures.github("another", BODY, header)).as("another secret").isFalse();
        byte[] changed = BODY.clone();
        changed[changed.length - 3] = 'e';
        assertThat(WebhookSignatures.github("s3cret", changed, header)).as("one byte of the body changed").isFalse();
        assertThat(WebhookSignatures.github("s3cret", (new String(BODY, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8), header))
                .as("a trailing newline").isFalse();
    }

    @Test
    void aMissingOrMalformedGithubSignatureIsRefused() throws Exception {
        String hex = hmac("s3cret", BODY).substring("sha256=".length());
        assertThat(WebhookSignatures.github("s3cret", BODY, null)).isFalse();
        assertThat(WebhookSignatures.github("s3cret", BODY, hex)).as("without sha256=").isFalse();
        assertThat(WebhookSignatures.github("s3cret", BODY, "sha1=" + hex)).as("another algorithm").isFalse();
        assertThat(WebhookSignatures.github("s3cret", BODY, "sha256=not-hex")).isFalse();
        assertThat(WebhookSignatures.github("s3cret", BODY, "sha256=" + hex.substring(0, 32))).as("cut short").isFalse();
        assertThat(WebhookSignatures.github("", BODY, "sha256=" + hex)).as("no secret configured: nothing verifies").isFalse();
        assertThat(WebhookSignatures.github(null, BODY, "sha256=" + hex)).isFalse();
    }

    @Test
    void aGitlabTokenMustBeTheSecretItself() {
        assertThat(WebhookSignatures.gitlab("s3cret-token", "s3cret-token")).isTrue();
        assertThat(WebhookSignatures.gitlab("s3cret-token", "s3cret-tokeN")).isFalse();
        assertThat(WebhookSignatures.gitlab("s3cret-token", "s3cret")).isFalse();
        assertThat(WebhookSignatures.gitlab("s3cret-token", "")).isFalse();
        assertThat(WebhookSignatures.gitlab("s3cret-token", null)).isFalse();
        assertThat(WebhookSignatures.gitlab("", "")).as("no secret configured: nothing verifies").isFalse();
    }
}
