/**
 * Versions of format {@code external}: served by an Open Inference Protocol v2 endpoint that deploy
 * calls instead of a model it loads (docs/CONTRACTS.md, "Model formats" → External). Plain Java
 * (the JDK's HTTP client, Jackson, Micrometer for one binding), tested on its own and against a
 * real v2 server in a child process ({@code src/test/.../external/server/V2TestServer}).
 *
 * <table>
 *   <caption>classes</caption>
 *   <tr><td>{@link io.flywheel.deploy.external.HostAllowList}</td><td>which hosts may be called
 *       ({@code deploy.external.allowed-hosts}); refuses non-http(s), user info, query/fragment,
 *       non-canonical IPv4; redirects are never followed</td></tr>
 *   <tr><td>{@link io.flywheel.deploy.external.SecretRefs}</td><td>auth header values by reference,
 *       from {@code deploy.external.secrets-dir/<secret_ref>}, re-read when the file changes</td></tr>
 *   <tr><td>{@link io.flywheel.deploy.external.CircuitBreaker}</td><td>closed / open / half-open per
 *       endpoint, consecutive failures or a failure ratio over a window, injected clock</td></tr>
 *   <tr><td>{@link io.flywheel.deploy.external.V2Client}</td><td>asynchronous calls: {@code POST <url>/infer}
 *       through the breaker, {@code GET <url>/ready}, {@code GET <url>} (metadata); timeouts;
 *       failures classified in {@link io.flywheel.deploy.external.ExternalCallException}</td></tr>
 *   <tr><td>{@link io.flywheel.deploy.external.ExternalModel}</td><td>deploy's rows to the endpoint's
 *       tensors (matrix or per feature, from its metadata) and its answer to outputs and the
 *       prediction log's {@code {"probability", "label"}} or value</td></tr>
 *   <tr><td>{@link io.flywheel.deploy.external.ExternalServing}</td><td>the factory: checks an endpoint
 *       (allow-list, header name, secret present) before any connection; one breaker per version</td></tr>
 *   <tr><td>{@link io.flywheel.deploy.external.ExternalMetrics},
 *       {@link io.flywheel.deploy.external.MicrometerExternalMetrics}</td><td>latency, errors by
 *       reason, breaker state, readiness per model and version</td></tr>
 * </table>
 *
 * <h2>How serving uses it</h2>
 *
 * <p>Wired as below: {@code serving/ExternalServingProducer} (the bean), {@code serving/ModelCache}
 * (loading, the ready probe), {@code serving/ExternalScorer}, {@code serving/Inference} (the fork),
 * {@code rest/InferenceResource} and {@code rest/ProblemMapping}; {@code rest/ExternalServingTest} runs it
 * end to end. One departure from the plan: the resource does not return a {@code Uni} (that would put a
 * Uni and its subscription on every flywheel-linear and ONNX answer too); for an external version it
 * suspends the request and resumes it with the answer or the problem.
 *
 * <ol>
 *   <li><b>Config</b> ({@code DeployConfig.external()}): {@code allowed-hosts} (list, empty by default:
 *       nothing external deploys), {@code secrets-dir}, {@code secret-recheck} (5s),
 *       {@code connect-timeout} (1s), {@code read-timeout} (2s), {@code ready-interval} (10s),
 *       {@code breaker.consecutive-failures} (5), {@code breaker.failure-ratio} (0.5),
 *       {@code breaker.window} (20), {@code breaker.open-for} (10s), {@code breaker.probes} (1). One
 *       {@link io.flywheel.deploy.external.ExternalServing} bean built from them with
 *       {@code V2Client.httpClient(connectTimeout, null)} and {@code System::nanoTime}.</li>
 *   <li><b>Registry</b>: {@code RegistryVersion} gains {@code ExternalEndpoint endpoint} (the JSON
 *       {@code endpoint} field; snake_case maps {@code secret_ref}).</li>
 *   <li><b>Loading</b> ({@code ModelCache.get}): for {@code format: external} no artifact is fetched;
 *       {@code serving.load(endpoint, signatureFeatures, new MicrometerExternalMetrics(registry, model, version))}
 *       as a {@code Uni} ({@code Uni.createFrom().completionStage(...)}); {@code NotServableException}
 *       and an {@code ExternalCallException} at load both become {@code ModelCache.NotServableException},
 *       so the promotion's servable gate fails with the reason (a host off the allow-list is refused
 *       at deploy) and the routing table records the problem and retries.</li>
 *   <li><b>Scoring</b>: a third {@code Scorer} kind, {@code ExternalScorer} (format {@code external}),
 *       whose {@code scoreAsync(inputs, requestId)} checks the rows with {@code InferenceInputs.rows}
 *       (400 naming the field, as for any format), then {@code ExternalModel.infer(requestId, rows)},
 *       and maps the answer to {@code Scores(rows, outputs, rows, answer.logged())}. An
 *       {@code ExternalCallException} of kind INVALID_INPUT becomes
 *       {@code InvalidInferenceInputException("inputs", message)}; the others map in
 *       {@code ProblemMapping} to {@code kind().status()} (502/503/504, {@code Retry-After} from
 *       {@code retryAfter()} for 503s). {@code Inference} forks there: the resource returns a
 *       {@code Uni}; split, meters, sample counts and the prediction log are unchanged (logged when the
 *       answer arrives, with its round-trip latency). A shadow that is external is fired and
 *       forgotten: logged on success, counted on failure, never delaying the answer.</li>
 *   <li><b>Health</b>: a scheduled probe ({@code ready-interval}) calls {@code ExternalModel.ready()}
 *       for every loaded external version, which sets {@code deploy.external.ready}; the breaker's
 *       changes set {@code deploy.external.breaker.state}. The monitor's infrastructure view scrapes
 *       deploy's {@code /q/metrics} already ({@code monitor.infrastructure.<name>.url}); for a
 *       target naming an external version it reads {@code deploy_external_latency_seconds_bucket},
 *       {@code deploy_external_errors_total} (reasons other than invalid-input),
 *       {@code deploy_external_ready} and {@code deploy_external_breaker_state} for the target's model
 *       and version (rules latency p99, error rate, reachable).</li>
 * </ol>
 */
package io.flywheel.deploy.external;
