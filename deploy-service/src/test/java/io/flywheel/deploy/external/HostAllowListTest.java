package io.flywheel.deploy.external;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HostAllowListTest {

    private final HostAllowList list = HostAllowList.of(List.of(
            "models.example.com", "*.serving.example.org", "127.0.0.1:8500", "10.1.2.3:*", "[fd00::7]:9000", "gpu.example.net:8443"));

    @Test
    void anEmptyListPermitsNothingAndSaysWhatToConfigure() {
        HostAllowList empty = HostAllowList.of(List.of("", " "));
        assertThat(empty.isEmpty()).isTrue();
        assertThatThrownBy(() -> empty.check("https://models.example.com/v2/models/churn"))
                .isInstanceOf(HostAllowList.RefusedException.class)
                .hasMessageContaining("deploy.external.allowed-hosts is empty").hasMessageContaining("models.example.com:443");
    }

    @Test
    void anExactNameMatchesOnItsDefaultPortsOnly() {
        assertThat(list.check("https://models.example.com/v2/models/churn").toString()).isEqualTo("https://models.example.com/v2/models/churn");
        assertThat(list.permits("http://models.example.com/v2/models/churn")).isTrue();
        assertThat(list.permits("https://models.example.com:443/v2/models/churn")).isTrue();
        assertThat(list.permits("https://models.example.com:8443/v2/models/churn")).isFalse();
        assertThat(list.permits("http://models.example.com:443/v2")).isFalse(); // 443 is not http's default
        assertThat(list.permits("https://other.example.com/v2")).isFalse();
        assertThat(list.permits("https://models.example.com.evil.io/v2")).isFalse();
        assertThat(list.permits("https://xmodels.example.com/v2")).isFalse();
    }

    @Test
    void aPortInThePatternIsTheOnlyPortAndStarIsAny() {
        assertThat(list.permits("http://127.0.0.1:8500/v2/models/m")).isTrue();
        assertThat(list.permits("http://127.0.0.1/v2/models/m")).isFalse();
        assertThat(list.permits("http://127.0.0.1:8501/v2/models/m")).isFalse();
        assertThat(list.permits("http://10.1.2.3:1/v2")).isTrue();
        assertThat(list.permits("https://10.1.2.3/v2")).isTrue();
        assertThat(list.permits("https://gpu.example.net:8443/v2")).isTrue();
        assertThat(list.permits("https://gpu.example.net/v2")).isFalse();
    }

    @Test
    void aWildcardMatchesSubdomainsAtAnyDepthButNotTheDomainItself() {
        assertThat(list.permits("https://a.serving.example.org/v2")).isTrue();
        assertThat(list.permits("https://a.b.serving.example.org/v2")).isTrue();
        assertThat(list.permits("https://serving.example.org/v2")).isFalse();
        assertThat(list.permits("https://evilserving.example.org/v2")).isFalse();
        assertThat(list.permits("https://serving.example.org.evil.io/v2")).isFalse();
    }

    @Test
    void namesAreCaseInsensitiveAndATrailingDotIsTheSameName() {
        assertThat(list.permits("HTTPS://MODELS.Example.COM/v2")).isTrue();
        assertThat(list.permits("https://models.example.com./v2")).isTrue();
        assertThat(list.permits("https://A.Serving.Example.Org./v2")).isTrue();
        assertThat(HostAllowList.of(List.of("Models.Example.COM.")).permits("https://models.example.com/v2")).isTrue();
    }

    @Test
    void userInfoIsRefusedWhicheverSideNamesTheAllowedHost() {
        // the host of http://127.0.0.1:8500@evil.io is evil.io: the allowed name is only user info
        assertThatThrownBy(() -> list.check("http://127.0.0.1:8500@evil.io/v2")).hasMessageContaining("user info");
        assertThatThrownBy(() -> list.check("https://models.example.com@evil.io/v2")).hasMessageContaining("user info");
        assertThatThrownBy(() -> list.check("https://evil.io@models.example.com/v2")).hasMessageContaining("user info");
        assertThatThrownBy(() -> list.check("https://user:pass@models.example.com/v2")).hasMessageContaining("user info");
    }

    @Test
    void aFragmentOrQueryCannotHideTheRealHost() {
        // the host of http://evil.io#@models.example.com is evil.io; fragments and queries are refused outright
        assertThatThrownBy(() -> list.check("http://evil.io#@models.example.com/v2")).isInstanceOf(HostAllowList.RefusedException.class);
        assertThatThrownBy(() -> list.check("https://models.example.com/v2#x")).hasMessageContaining("query or fragment");
        assertThatThrownBy(() -> list.check("https://models.example.com/v2?next=http://evil.io")).hasMessageContaining("query or fragment");
        assertThatThrownBy(() -> list.check("http://evil.io?@models.example.com/v2")).isInstanceOf(HostAllowList.RefusedException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://models.example.com/v2", "file:///etc/passwd", "gopher://models.example.com/", "jar:http://models.example.com!/",
            "//models.example.com/v2", "models.example.com/v2", "http:models.example.com/v2", "javascript:alert(1)"})
    void onlyAbsoluteHttpAndHttpsUrls(String url) {
        assertThat(list.permits(url)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://2130706433:8500/v2",       // 127.0.0.1 as one decimal number
            "http://0x7f000001:8500/v2",       // ... in hex
            "http://0x7f.0.0.1:8500/v2",
            "http://0177.0.0.1:8500/v2",       // ... in octal
            "http://127.1:8500/v2",            // ... shortened
            "http://127.000.000.001:8500/v2",
            "http://256.0.0.1:8500/v2",
            "http://1.2.3.4.5/v2"})
    void ipv4OnlyAsADottedQuad(String url) {
        assertThatThrownBy(() -> list.check(url)).isInstanceOf(HostAllowList.RefusedException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "http://models.example.com\\@evil.io/v2", // backslash: some parsers read evil.io as the host
            "http://models_example.com/v2",           // not a host name (URI gives no host)
            "http://models%2eexample.com/v2",         // escaped dot
            "http://mödels.example.com/v2",           // non-ASCII (IDN homographs)
            "http:///v2",
            "http://models.example.com:80:80/v2",
            "http://[fd00::7%25eth0]:9000/v2",         // IPv6 zone id
            " ", ""})
    void malformedOrAmbiguousHostsAreRefused(String url) {
        assertThatThrownBy(() -> list.check(url)).isInstanceOf(HostAllowList.RefusedException.class);
    }

    @Test
    void ipv6LiteralsAreComparedAsAddresses() {
        assertThat(list.permits("http://[fd00::7]:9000/v2")).isTrue();
        assertThat(list.permits("http://[FD00:0:0:0:0:0:0:7]:9000/v2")).isTrue();
        assertThat(list.permits("http://[fd00::8]:9000/v2")).isFalse();
        assertThat(list.permits("http://[fd00::7]/v2")).isFalse();
        assertThat(list.permits("http://[::1]:8500/v2")).isFalse();
        // an IPv4-mapped address is the IPv4 host it maps to: allowed exactly when that host is
        assertThat(list.permits("http://[::ffff:127.0.0.1]:8500/v2")).isTrue();
        assertThat(list.permits("http://[::ffff:127.0.0.2]:8500/v2")).isFalse();
    }

    @Test
    void theCheckedUrlDropsTrailingSlashesSoSuffixesJoinCleanly() {
        assertThat(list.check("https://models.example.com/v2/models/churn/").toString()).isEqualTo("https://models.example.com/v2/models/churn");
        assertThat(list.check("https://models.example.com").toString()).isEqualTo("https://models.example.com");
    }

    @ParameterizedTest
    @ValueSource(strings = {"*", "*.com", "evil*.example.com", "a.*.example.com", "http://models.example.com", "models.example.com/v2",
            "models.example.com:0", "models.example.com:x", "2130706433", "127.1", "*.10.0.0", "[fd00::7%eth0]", "[fd00::7]x"})
    void patternsThatAreNotOneOfTheFormsAreRefusedAtStartup(String pattern) {
        assertThatThrownBy(() -> HostAllowList.of(List.of(pattern))).isInstanceOf(HostAllowList.RefusedException.class)
                .hasMessageContaining("allowed host");
    }

    @Test
    void theRefusalNamesHostAndPortAndTheSetting() {
        assertThatThrownBy(() -> list.check("http://169.254.169.254/latest/meta-data/"))
                .hasMessage("host '169.254.169.254:80' is not in deploy's allow-list (deploy.external.allowed-hosts)");
    }
}
