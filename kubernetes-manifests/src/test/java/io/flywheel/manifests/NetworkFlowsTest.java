package io.flywheel.manifests;

import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NetworkFlowsTest {

    private static final Map<String, String> WEB = Map.of("app", "web");
    private static final Map<String, String> API = Map.of("app", "api", "tier", "backend");
    private static final Map<String, String> DB = Map.of("app", "db");

    private static final NetworkPolicy DENY_ALL = new NetworkPolicyBuilder().withNewMetadata().withName("deny").endMetadata()
            .withNewSpec().withNewPodSelector().endPodSelector().withPolicyTypes("Ingress", "Egress").endSpec().build();

    @Test
    void withoutPoliciesEverythingFlows() {
        assertThat(new NetworkFlows(List.of()).allows(WEB, DB, 5432)).isTrue();
    }

    @Test
    void defaultDenyStopsEveryFlowAndNamesNoPod() {
        NetworkFlows flows = new NetworkFlows(List.of(DENY_ALL));

        assertThat(flows.allows(WEB, API, 8080)).isFalse();
        assertThat(flows.naming(WEB)).isEmpty();
    }

    @Test
    void aFlowNeedsTheSourcesEgressAndTheTargetsIngressOnThatPort() {
        NetworkFlows onlyEgress = new NetworkFlows(List.of(DENY_ALL, egress("web", "api", 8080)));
        NetworkFlows both = new NetworkFlows(List.of(DENY_ALL, egress("web", "api", 8080), ingress("api", "web", 8080)));

        assertThat(onlyEgress.allows(WEB, API, 8080)).isFalse();
        assertThat(both.allows(WEB, API, 8080)).isTrue();
        assertThat(both.allows(WEB, API, 9090)).isFalse();
        assertThat(both.allows(API, WEB, 8080)).isFalse();
        assertThat(both.allows(WEB, DB, 8080)).isFalse();
        assertThat(both.naming(API)).extracting(p -> p.getMetadata().getName()).containsExactly("api-in");
    }

    @Test
    void onlyARuleWithoutPeersOpensAPodToEveryone() {
        NetworkPolicy open = new NetworkPolicyBuilder().withNewMetadata().withName("open").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "web").endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress().addNewPort().withNewPort(443).endPort().endIngress().endSpec().build();
        NetworkFlows flows = new NetworkFlows(List.of(DENY_ALL, open, ingress("api", "web", 8080)));

        assertThat(flows.openToAll(WEB, 443)).isTrue();
        assertThat(flows.openToAll(WEB, 80)).isFalse();
        assertThat(flows.openToAll(API, 8080)).isFalse();
        assertThat(flows.ingressAllows(DB, WEB, 443)).isTrue();
    }

    @Test
    void aNamespaceSelectorPeerIsAnotherNamespace() {
        NetworkPolicy fromOperators = new NetworkPolicyBuilder().withNewMetadata().withName("db").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", "db").endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withNewNamespaceSelector().addToMatchLabels("name", "operators").endNamespaceSelector()
                .endFrom().endIngress().endSpec().build();

        assertThat(new NetworkFlows(List.of(fromOperators)).ingressAllows(API, DB, 5432)).isFalse();
    }

    @Test
    void matchExpressionsAreRefusedNotGuessed() {
        NetworkPolicy expressions = new NetworkPolicyBuilder().withNewMetadata().withName("x").endMetadata()
                .withNewSpec().withNewPodSelector().addNewMatchExpression().withKey("app").withOperator("Exists").endMatchExpression()
                .endPodSelector().withPolicyTypes("Ingress").endSpec().build();

        assertThatThrownBy(() -> new NetworkFlows(List.of(expressions)).ingressAllows(WEB, API, 80))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static NetworkPolicy egress(String from, String to, int port) {
        return new NetworkPolicyBuilder().withNewMetadata().withName(from + "-out").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", from).endPodSelector().withPolicyTypes("Egress")
                .addNewEgress().addNewTo().withNewPodSelector().addToMatchLabels("app", to).endPodSelector().endTo()
                .addNewPort().withNewPort(port).withProtocol("TCP").endPort().endEgress().endSpec().build();
    }

    private static NetworkPolicy ingress(String to, String from, int port) {
        return new NetworkPolicyBuilder().withNewMetadata().withName(to + "-in").endMetadata()
                .withNewSpec().withNewPodSelector().addToMatchLabels("app", to).endPodSelector().withPolicyTypes("Ingress")
                .addNewIngress().addNewFrom().withNewPodSelector().addToMatchLabels("app", from).endPodSelector().endFrom()
                .addNewPort().withNewPort(port).endPort().endIngress().endSpec().build();
    }
}
