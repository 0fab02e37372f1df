package io.flywheel.deploy.rest;

import io.flywheel.deploy.rollout.Live;

import java.util.List;

/** A model's deployments in every configured environment, in promotion order. */
public record ModelDeploymentsView(String model, List<EnvironmentView> environments) {

    /** What serves in one environment; empty until a version is promoted there. */
    public record EnvironmentView(String name, String status, List<Integer> liveVersions, List<Live> live, long revision,
                                  String etag) {
    }
}
