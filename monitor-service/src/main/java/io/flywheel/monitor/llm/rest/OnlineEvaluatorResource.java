package io.flywheel.monitor.llm.rest;

import io.flywheel.llm.eval.EvaluatorSpec;
import io.flywheel.monitor.BadRequestException;
import io.flywheel.monitor.NotFoundException;
import io.flywheel.monitor.UnprocessableException;
import io.flywheel.monitor.llm.online.OnlineEvaluation;
import io.flywheel.monitor.llm.online.OnlineEvaluator;
import io.quarkus.security.identity.SecurityIdentity;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.jboss.resteasy.reactive.ResponseStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Online evaluators of a project: rules that score a sampled share of its production generations
 * (llm/online/OnlineEvaluation). {@code PUT} creates or replaces one by name; its evaluator is made
 * once here, so a spec that cannot work is refused with what to fix.
 */
@Path("/api/v1/llm/online-evaluators")
@Produces(MediaType.APPLICATION_JSON)
public class OnlineEvaluatorResource {

    /** An evaluator as llm-eval's spec reads it: type, optional score name, parameters. */
    public record EvaluatorBody(String type, String name, Map<String, Object> params) {
    }

    public record Request(EvaluatorBody evaluator, Double sampleRate, String observationName, String promptName) {
    }

    public record View(String project, String name, EvaluatorBody evaluator, double sampleRate, String observationName, String promptName) {
        static View of(OnlineEvaluator e) {
            return new View(e.project(), e.name(), new EvaluatorBody(e.evaluator().type(), e.evaluator().name(), e.evaluator().params()),
                    e.sampleRate(), e.observationName(), e.promptName());
        }
    }

    private final OnlineEvaluation online;
    private final SecurityIdentity caller;

    public OnlineEvaluatorResource(OnlineEvaluation online, SecurityIdentity caller) {
        this.online = online;
        this.caller = caller;
    }

    @GET
    public Uni<List<View>> list(@QueryParam("project") String project) {
        return online.list(project(project)).map(l -> l.stream().map(View::of).toList());
    }

    @PUT
    @Path("{name}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Uni<View> put(@PathParam("name") String name, @QueryParam("project") String project, Request body) {
        String p = project(project);
        if (body == null || body.evaluator() == null) {
            throw new BadRequestException("a body {evaluator: {type, name, params}, sample_rate, observation_name, prompt_name} is required");
        }
        EvaluatorSpec spec = new EvaluatorSpec(body.evaluator().type(), body.evaluator().name(), body.evaluator().params());
        OnlineEvaluator rule = new OnlineEvaluator(p, name, spec, body.sampleRate() == null ? 1.0 : body.sampleRate(),
                Params.text(body.observationName()), Params.text(body.promptName()));
        List<String> problems = new ArrayList<>(rule.problems());
        try {
            online.evaluator(spec);
        } catch (IllegalArgumentException e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            throw new UnprocessableException(String.join("; ", problems));
        }
        return online.put(rule).map(View::of);
    }

    @DELETE
    @Path("{name}")
    @ResponseStatus(204)
    public Uni<Void> delete(@PathParam("name") String name, @QueryParam("project") String project) {
        String p = project(project);
        return online.delete(p, name).invoke(existed -> {
            if (!existed) {
                throw new NotFoundException("no online evaluator '" + name + "' in project '" + p + "'");
            }
        }).replaceWithVoid();
    }

    private String project(String asked) {
        String p = Callers.scope(caller, Params.text(asked));
        if (p == null) {
            throw new BadRequestException("project is required (?project=)");
        }
        return p;
    }
}
