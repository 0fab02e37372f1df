package io.flywheel.manifests;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;

import java.util.List;
import java.util.Map;

/**
 * Kubernetes' NetworkPolicy semantics for pods of one namespace: a pod selected by no policy of a
 * direction is open in that direction; a selected pod allows what one of its policies' rules allows.
 * Enough for these manifests: numeric ports, matchLabels (matchExpressions are refused rather than
 * guessed), peers in the same namespace; a namespaceSelector peer never matches a pod of this one
 * unless it is the empty selector, and ipBlock peers are not evaluated.
 */
final class NetworkFlows {

    private final List<NetworkPolicy> policies;

    NetworkFlows(List<NetworkPolicy> policies) {
        this.policies = policies;
    }

    /** Whether a pod labelled {@code from} can open a TCP connection to one labelled {@code to} on {@code port}. */
    boolean allows(Map<String, String> from, Map<String, String> to, int port) {
        return egressAllows(from, to, port) && ingressAllows(from, to, port);
    }

    boolean egressAllows(Map<String, String> from, Map<String, String> to, int port) {
        List<NetworkPolicy> isolating = selecting(from, "Egress");
        return isolating.isEmpty() || isolating.stream()
                .flatMap(policy -> policy.getSpec().getEgress().stream())
                .anyMatch(rule -> portMatches(rule.getPorts(), port) && peersMatch(rule.getTo(), to));
    }

    boolean ingressAllows(Map<String, String> from, Map<String, String> to, int port) {
        List<NetworkPolicy> isolating = selecting(to, "Ingress");
        return isolating.isEmpty() || isolating.stream()
                .flatMap(policy -> policy.getSpec().getIngress().stream())
                .anyMatch(rule -> portMatches(rule.getPorts(), port) && peersMatch(rule.getFrom(), from));
    }

    /** Whether anyone at all, in any namespace or outside the cluster, may reach the pod on the port. */
    boolean openToAll(Map<String, String> to, int port) {
        List<NetworkPolicy> isolating = selecting(to, "Ingress");
        return isolating.isEmpty() || isolating.stream()
                .flatMap(policy -> policy.getSpec().getIngress().stream())
                .anyMatch(rule -> portMatches(rule.getPorts(), port) && rule.getFrom().isEmpty());
    }

    /** The policies that name this pod by its labels, leaving out those for every pod ({@code podSelector: {}}). */
    List<NetworkPolicy> naming(Map<String, String> pod) {
        return policies.stream()
                .filter(policy -> !isEmpty(policy.getSpec().getPodSelector()))
                .filter(policy -> matches(policy.getSpec().getPodSelector(), pod))
                .toList();
    }

    private List<NetworkPolicy> selecting(Map<String, String> pod, String type) {
        return policies.stream()
                .filter(policy -> policy.getSpec().getPolicyTypes().contains(type))
                .filter(policy -> matches(policy.getSpec().getPodSelector(), pod))
                .toList();
    }

    private static boolean portMatches(List<NetworkPolicyPort> ports, int port) {
        return ports.isEmpty() || ports.stream().anyMatch(p -> {
            String protocol = p.getProtocol() == null ? "TCP" : p.getProtocol();
            IntOrString number = p.getPort();
            return protocol.equals("TCP") && (number == null || Integer.valueOf(port).equals(number.getIntVal()));
        });
    }

    private static boolean peersMatch(List<NetworkPolicyPeer> peers, Map<String, String> pod) {
        return peers.isEmpty() || peers.stream().anyMatch(peer -> {
            if (peer.getIpBlock() != null) {
                return false;
            }
            if (peer.getNamespaceSelector() != null && !isEmpty(peer.getNamespaceSelector())) {
                return false;
            }
            return peer.getPodSelector() == null || matches(peer.getPodSelector(), pod);
        });
    }

    static boolean matches(LabelSelector selector, Map<String, String> labels) {
        if (selector.getMatchExpressions() != null && !selector.getMatchExpressions().isEmpty()) {
            throw new IllegalArgumentException("matchExpressions are not evaluated here: " + selector);
        }
        Map<String, String> wanted = selector.getMatchLabels() == null ? Map.of() : selector.getMatchLabels();
        return labels.entrySet().containsAll(wanted.entrySet());
    }

    static boolean isEmpty(LabelSelector selector) {
        return (selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty())
                && (selector.getMatchExpressions() == null || selector.getMatchExpressions().isEmpty());
    }
}
