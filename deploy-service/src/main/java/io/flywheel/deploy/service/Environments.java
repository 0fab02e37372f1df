package io.flywheel.deploy.service;

import io.flywheel.deploy.NotFoundException;
import io.flywheel.deploy.config.DeployConfig;
import io.flywheel.deploy.rollout.Strategy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Set;

/** The configured environments and what each one's policy says. */
@ApplicationScoped
public class Environments {

    private final List<String> names;
    private final String production;
    private final Strategy defaultStrategy;
    private final Strategy productionDefaultStrategy;
    private final Set<String> rollbackPrimaryOnDegradation;

    public Environments(DeployConfig config) {
        this.names = List.copyOf(config.environments());
        this.production = config.productionEnvironment();
        this.defaultStrategy = Strategy.of(config.promotion().defaultStrategy());
        this.productionDefaultStrategy = Strategy.of(config.promotion().productionDefaultStrategy());
        this.rollbackPrimaryOnDegradation = Set.copyOf(config.rollback().onPrimaryDegradation().orElse(List.of()));
    }

    public List<String> names() {
        return names;
    }

    /** @throws NotFoundException naming the configured environments */
    public String require(String environment) {
        if (!names.contains(environment)) {
            throw new NotFoundException("environment '" + environment + "' is not configured; deploy knows " + String.join(", ", names));
        }
        return environment;
    }

    public boolean isProduction(String environment) {
        return production.equals(environment);
    }

    /** The strategy of a promotion that names none. */
    public Strategy defaultStrategy(String environment) {
        return isProduction(environment) ? productionDefaultStrategy : defaultStrategy;
    }

    /** Whether a degradation of the primary version (not only of a candidate) rolls it back here. */
    public boolean rollsBackPrimary(String environment) {
        return rollbackPrimaryOnDegradation.contains(environment);
    }
}
