package io.flywheel.monitor.infra;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Prometheus text → figures between two scrapes: plain JUnit. */
class ServingHealthTest {

    private static String scrape(int ok, int errors, int fast, double cpu) {
        return """
                # HELP http_server_requests_seconds
                # TYPE http_server_requests_seconds histogram
                http_server_requests_seconds_bucket{method="POST",outcome="SUCCESS",status="200",uri="/v2/models/{name}/infer",le="0.05"} %d
                http_server_requests_seconds_bucket{method="POST",outcome="SUCCESS",status="200",uri="/v2/models/{name}/infer",le="0.5"} %d
                http_server_requests_seconds_bucket{method="POST",outcome="SUCCESS",status="200",uri="/v2/models/{name}/infer",le="+Inf"} %d
                http_server_requests_seconds_bucket{method="POST",outcome="SERVER_ERROR",status="500",uri="/v2/models/{name}/infer",le="0.05"} 0
                http_server_requests_seconds_bucket{method="POST",outcome="SERVER_ERROR",status="500",uri="/v2/models/{name}/infer",le="0.5"} %d
                http_server_requests_seconds_bucket{method="POST",outcome="SERVER_ERROR",status="500",uri="/v2/models/{name}/infer",le="+Inf"} %d
                http_server_requests_seconds_count{method="POST",outcome="SUCCESS",status="200",uri="/v2/models/{name}/infer"} %d
                http_server_requests_seconds_count{method="POST",outcome="SERVER_ERROR",status="500",uri="/v2/models/{name}/infer"} %d
                http_server_requests_seconds_max{method="POST",outcome="SUCCESS",status="200",uri="/v2/models/{name}/infer"} 0.4
                http_server_requests_seconds_count{method="GET",outcome="SUCCESS",status="200",uri="/q/health"} 999
                process_cpu_usage %s
                jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 30.0
                jvm_memory_used_bytes{area="heap",id="G1 Old Gen"} 20.0
                jvm_memory_max_bytes{area="heap",id="G1 Old Gen"} 100.0
                jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5000.0
                """.formatted(fast, ok, ok, errors, errors, ok, errors, cpu);
    }

    @Test
    void figuresOfTheIntervalBetweenScrapes() {
        ServingHealth.Scrape first = ServingHealth.read(PrometheusText.parse(scrape(100, 0, 100, 0.2)), null);
        ServingHealth.Scrape second = ServingHealth.read(PrometheusText.parse(scrape(300, 10, 250, 0.95)), null);
        ServingHealth.Figures f = ServingHealth.between(first, second);
        assertThat(f.requests()).isEqualTo(210); // health checks don't count
        assertThat(f.errorRate()).isEqualTo(10.0 / 210);
        assertThat(f.latencyP99Ms()).isEqualTo(500.0); // 150 of 210 new requests under 50 ms, all under 500 ms
        assertThat(f.cpu()).isEqualTo(0.95);
        assertThat(f.memory()).isEqualTo(0.5);
    }

    @Test
    void withoutBucketsP99IsBoundedByTheSlowestRequest() {
        String text = "http_server_requests_seconds_count{status=\"200\",uri=\"/x\"} 5\n"
                + "http_server_requests_seconds_max{status=\"200\",uri=\"/x\"} 0.25\n";
        ServingHealth.Figures f = ServingHealth.between(null, ServingHealth.read(PrometheusText.parse(text), null));
        assertThat(f.latencyP99Ms()).isEqualTo(250.0);
        assertThat(f.latencyFromMax()).isTrue();
        assertThat(f.cpu()).isNaN();
    }

    private static String external(int answered, int fast, int timeouts, int invalid, int ready, int breaker) {
        return """
                deploy_external_latency_seconds_bucket{model="churn",version="3",le="0.05"} %d
                deploy_external_latency_seconds_bucket{model="churn",version="3",le="0.5"} %d
                deploy_external_latency_seconds_bucket{model="churn",version="3",le="+Inf"} %d
                deploy_external_latency_seconds_count{model="churn",version="3"} %d
                deploy_external_latency_seconds_max{model="churn",version="3"} 0.3
                deploy_external_errors_total{model="churn",reason="timeout",version="3"} %d
                deploy_external_errors_total{model="churn",reason="invalid-input",version="3"} %d
                deploy_external_ready{model="churn",version="3"} %d
                deploy_external_breaker_state{model="churn",version="3"} %d
                deploy_external_latency_seconds_count{model="churn",version="2"} 5000
                http_server_requests_seconds_count{method="POST",status="200",uri="/v2/models/{name}/infer"} 99999
                process_cpu_usage 0.9
                """.formatted(fast, answered, answered, answered, timeouts, invalid, ready, breaker);
    }

    @Test
    void anExternalVersionIsJudgedByItsEndpointsFiguresAsDeployReportsThem() {
        var first = ServingHealth.readExternal(PrometheusText.parse(external(100, 100, 0, 0, 1, 0)), "churn", 3);
        var second = ServingHealth.readExternal(PrometheusText.parse(external(300, 150, 10, 40, 1, 0)), "churn", 3);
        ServingHealth.Figures f = ServingHealth.between(first, second);
        assertThat(f.requests()).isEqualTo(210); // 200 answered, 10 timed out; the callers' bad input is not the endpoint's
        assertThat(f.errorRate()).isEqualTo(10.0 / 210);
        assertThat(f.latencyP99Ms()).isEqualTo(500.0); // 50 of 200 answered under 50 ms, all under 500 ms
        assertThat(f.latencyFromMax()).isFalse();
        assertThat(f.cpu()).isNaN(); // the endpoint's CPU is not deploy's
        assertThat(second.reachable()).isTrue();

        assertThat(ServingHealth.readExternal(PrometheusText.parse(external(300, 150, 10, 0, 0, 0)), "churn", 3).reachable()).isFalse();
        assertThat(ServingHealth.readExternal(PrometheusText.parse(external(300, 150, 10, 0, 1, 2)), "churn", 3).reachable()).isFalse();
        // not external: deploy's own request figures apply
        assertThat(ServingHealth.readExternal(PrometheusText.parse(external(1, 1, 0, 0, 1, 0)), "churn", 4)).isNull();
        assertThat(ServingHealth.readExternal(PrometheusText.parse(scrape(1, 0, 1, 0.1)), "churn", 3)).isNull();
    }
}
