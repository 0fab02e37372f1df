package io.flywheel.registry.rest;

import jakarta.ws.rs.core.Response;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class BlobDownloadTest {

    private static final String SHA = "e3ec35651696d0610c0d80a7c228f80f3480f3420b55dda5af71d040ab845e94";
    private static final String ETAG = "\"" + SHA + "\"";

    @Test
    void aRedirectCarriesTheLocationTheDigestAndNoStore() {
        Response redirect = BlobDownload.redirect(SHA, new BlobDownload.Conditions(null, null, null), () -> "http://s3/b/k?X-Amz-Signature=ab%2Fc");

        assertThat(redirect.getStatus()).isEqualTo(307);
        assertThat(redirect.getHeaderString("Location")).isEqualTo("http://s3/b/k?X-Amz-Signature=ab%2Fc");
        assertThat(redirect.getHeaderString("Cache-Control")).isEqualTo("no-store");
        assertThat(redirect.getHeaderString("ETag")).isEqualTo(ETAG);
        assertThat(redirect.getHeaderString("Digest")).isEqualTo("sha-256=4+w1ZRaW0GEMDYCnwij4DzSA80ILVd2lr3HQQKuEXpQ=");
    }

    @Test
    void aMatchingIfNoneMatchIsStillA304AndSignsNothing() {
        AtomicInteger signed = new AtomicInteger();
        Response response = BlobDownload.redirect(SHA, new BlobDownload.Conditions(null, null, "\"other\", " + ETAG),
                () -> "http://s3/" + signed.incrementAndGet());

        assertThat(response.getStatus()).isEqualTo(304);
        assertThat(response.getHeaderString("ETag")).isEqualTo(ETAG);
        assertThat(response.getHeaderString("Location")).isNull();
        assertThat(signed).hasValue(0);
    }

    @Test
    void anAttachmentNameNeedsNoQuoting() {
        assertThat(BlobDownload.attachment("churn-v3")).isEqualTo("attachment; filename=\"churn-v3\"");
        assertThat(BlobDownload.attachment("a\"b;c v1")).isEqualTo("attachment; filename=\"a_b_c_v1\"");
    }
}
