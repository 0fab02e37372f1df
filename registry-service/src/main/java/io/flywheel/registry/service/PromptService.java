package io.flywheel.registry.service;

import io.flywheel.events.PromptLabelMoved;
import io.flywheel.events.PromptVersionRegistered;
import io.flywheel.outbox.Outbox;
import io.flywheel.registry.ForbiddenException;
import io.flywheel.registry.InvalidRequestException;
import io.flywheel.registry.NotFoundException;
import io.flywheel.registry.Prompt;
import io.flywheel.registry.PromptLabel;
import io.flywheel.registry.PromptVersion;
import io.flywheel.registry.config.RegistryConfig;
import io.flywheel.registry.prompt.PromptContent;
import io.flywheel.registry.prompt.PromptRules;
import io.flywheel.registry.repository.PromptLabelRepository;
import io.flywheel.registry.repository.PromptRepository;
import io.flywheel.registry.repository.PromptVersionRepository;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Prompts: immutable versions numbered per (project, name), labels each on one version at a time,
 * {@code latest} derived (the newest version). Every change locks the prompt's row, so numbering and
 * label moves are serialised; every new version and label move is announced through the outbox
 * (key {@code <project>/<name>}). Protected labels (production by default) move only for an admin.
 */
@ApplicationScoped
public class PromptService {

    /** Who asks: the internal token's subject, and whether it may move protected labels. */
    public record Actor(String principal, boolean admin) {
    }

    /** A new version as asked for; null type means text (Langfuse's default), null tags keep the prompt's. */
    public record Draft(String name, String type, Object prompt, Map<String, Object> config, List<String> labels,
                        List<String> tags, String commitMessage, String experimentId) {
    }

    /** One version as read: with its labels ({@code latest} included when it is the newest) and the prompt's tags. */
    public record Fetched(Prompt prompt, PromptVersion version, List<String> labels) {
        /** Changes with the version and with every change to the prompt (labels, tags). */
        public String etag() {
            return "\"" + version.version + "." + prompt.revision + "\"";
        }
    }

    /** A prompt in a list: its versions' numbers (newest first), every label in use, the newest version. */
    public record Summary(Prompt prompt, List<Integer> versions, List<String> labels, PromptVersion newest) {
    }

    private final PromptRepository prompts;
    private final PromptVersionRepository versions;
    private final PromptLabelRepository labels;
    private final Outbox outbox;
    private final Set<String> protectedLabels;

    public PromptService(PromptRepository prompts, PromptVersionRepository versions, PromptLabelRepository labels, Outbox outbox,
                         RegistryConfig config) {
        this.prompts = prompts;
        this.versions = versions;
        this.labels = labels;
        this.outbox = outbox;
        this.protectedLabels = Set.copyOf(config.prompts().protectedLabels());
    }

    @WithTransaction
    public Uni<Fetched> create(String project, Draft draft, Actor actor) {
        String type = draft.type() == null ? PromptContent.TEXT : draft.type();
        PromptContent content;
        try {
            content = PromptRules.content(type, draft.prompt());
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage());
        }
        refuse(PromptRules.nameRefusal(draft.name()));
        refuse(PromptRules.nulRefusal("prompt", draft.prompt()));
        refuse(PromptRules.nulRefusal("config", draft.config()));
        refuse(PromptRules.nulRefusal("commit message", draft.commitMessage()));
        refuse(PromptRules.nulRefusal("experiment_id", draft.experimentId()));
        refuse(PromptRules.nulRefusal("tags", draft.tags()));
        List<String> asked = distinct(draft.labels());
        refuse(PromptRules.labelsRefusal(asked));
        refuse(PromptRules.tagsRefusal(draft.tags()));
        if (draft.commitMessage() != null && draft.commitMessage().length() > PromptRules.MAX_COMMIT_MESSAGE) {
            throw new InvalidRequestException("commit message is limited to " + PromptRules.MAX_COMMIT_MESSAGE + " characters");
        }
        if (draft.experimentId() != null && (draft.experimentId().isBlank() || draft.experimentId().length() > 200)) {
            throw new InvalidRequestException("experiment_id is 1 to 200 characters");
        }
        checkProtected(asked, actor);
        String name = draft.name();
        Instant now = ModelService.now();
        List<String> givenTags = draft.tags() == null ? null : distinct(draft.tags());
        return prompts.insertIfAbsent(project, name, type, givenTags == null ? List.of() : givenTags, now)
                .chain(() -> prompts.lock(project, name))
                .chain(prompt -> {
                    if (!prompt.type.equals(type)) {
                        throw new InvalidRequestException("prompt '" + name + "' is a " + prompt.type + " prompt: a new version can't be "
                                + type + " (create it under another name)");
                    }
                    return versions.nextNumber(project, name).chain(number -> {
                        PromptVersion version = new PromptVersion();
                        version.project = project;
                        version.name = name;
                        version.version = number;
                        version.promptText = content.text();
                        version.messages = content.messages() == null ? null : new PromptVersion.Messages(content.messages());
                        version.config = draft.config() == null ? new HashMap<>() : new LinkedHashMap<>(draft.config());
                        version.commitMessage = draft.commitMessage();
                        version.experimentId = draft.experimentId();
                        version.createdBy = actor.principal();
                        version.createdAt = now;
                        if (givenTags != null) {
                            prompt.tags = new Prompt.Tags(new ArrayList<>(givenTags));
                        }
                        touch(prompt, now);
                        return versions.persist(version)
                                .call(() -> versions.flush())
                                .call(() -> outbox.add(PromptLabelMoved.key(project, name), PromptVersionRegistered.TYPE,
                                        PromptVersionRegistered.of(project, name, number, type, asked, version.config,
                                                version.commitMessage, version.experimentId, actor.principal(), now)))
                                .call(() -> setLabels(project, name, number, asked, actor.principal(), now))
                                .chain(() -> fetched(prompt, version));
                    });
                });
    }

    /** A version by label ({@code latest}: the newest) or number; neither means label production. */
    @WithSession
    public Uni<Fetched> get(String project, String name, String label, Integer version) {
        if (label != null && version != null) {
            throw new InvalidRequestException("ask for a label or a version, not both");
        }
        String wanted = label == null && version == null ? PromptRules.PRODUCTION : label;
        return prompts.byKey(project, name)
                .onItem().ifNull().failWith(() -> notFound(name, wanted, version))
                .chain(prompt -> resolve(project, name, wanted, version)
                        .onItem().ifNull().failWith(() -> notFound(name, wanted, version))
                        .chain(found -> fetched(prompt, found)));
    }

    /** Versions newest first, below {@code before}; plus one to tell whether a next page exists. */
    @WithSession
    public Uni<List<Fetched>> versions(String project, String name, Integer before, int limit) {
        return prompts.byKey(project, name)
                .onItem().ifNull().failWith(() -> new NotFoundException("prompt", name))
                .chain(prompt -> versions.page(project, name, before, limit + 1)
                        .chain(page -> labels.ofPrompt(project, name).chain(set -> versions.latest(project, name).map(latest -> {
                            List<Fetched> all = new ArrayList<>();
                            for (PromptVersion v : page) {
                                all.add(new Fetched(prompt, v, labelsOf(v, set, latest)));
                            }
                            return all;
                        }))));
    }

    @WithSession
    public Uni<List<Summary>> list(PromptRepository.Filter filter, String after, int offset, int limit) {
        return prompts.page(filter, after, offset, limit).chain(page -> {
            List<String> names = page.stream().map(p -> p.name).toList();
            return versions.numbers(filter.project(), names)
                    .chain(numbers -> labels.ofPrompts(filter.project(), names)
                            .chain(set -> versions.newest(filter.project(), names).map(newest -> {
                                List<Summary> all = new ArrayList<>();
                                for (Prompt prompt : page) {
                                    List<Integer> own = numbers.stream().filter(row -> prompt.name.equals(row[0]))
                                            .map(row -> (Integer) row[1]).toList();
                                    Set<String> used = new TreeSet<>();
                                    set.stream().filter(l -> l.name.equals(prompt.name)).forEach(l -> used.add(l.label));
                                    used.add(PromptRules.LATEST);
                                    PromptVersion last = newest.stream().filter(v -> v.name.equals(prompt.name)).findFirst().orElse(null);
                                    all.add(new Summary(prompt, own, List.copyOf(used), last));
                                }
                                return all;
                            })));
        });
    }

    @WithSession
    public Uni<Long> count(PromptRepository.Filter filter) {
        return prompts.count(filter);
    }

    /** Puts each label on the version (taking it from the one that had it); the version's other labels stay (Langfuse's PATCH). */
    @WithTransaction
    public Uni<Fetched> addLabels(String project, String name, int version, List<String> added, Actor actor) {
        List<String> asked = distinct(added);
        refuse(PromptRules.labelsRefusal(asked));
        checkProtected(asked, actor);
        Instant now = ModelService.now();
        return lockedVersion(project, name, version)
                .chain(locked -> setLabels(project, name, version, asked, actor.principal(), now)
                        .invoke(() -> touch(locked.prompt(), now))
                        .chain(() -> fetched(locked.prompt(), locked.version())));
    }

    /** Removes a label from whichever version has it. */
    @WithTransaction
    public Uni<Void> removeLabel(String project, String name, String label, Actor actor) {
        refuse(PromptRules.labelRefusal(label));
        checkProtected(List.of(label), actor);
        Instant now = ModelService.now();
        return prompts.lock(project, name)
                .onItem().ifNull().failWith(() -> new NotFoundException("prompt", name))
                .chain(prompt -> labels.byKey(project, name, label)
                        .onItem().ifNull().failWith(() -> new NotFoundException("label", name + "@" + label))
                        .chain(current -> labels.delete(current)
                                .invoke(() -> touch(prompt, now))
                                .call(() -> outbox.add(PromptLabelMoved.key(project, name), PromptLabelMoved.TYPE,
                                        PromptLabelMoved.of(project, name, label, current.version, null, actor.principal(), now)))))
                .replaceWithVoid();
    }

    /**
     * Langfuse's DELETE: every version, the versions carrying {@code label}, or one version. A
     * protected label on a deleted version needs an admin. The prompt goes when its last version does.
     */
    @WithTransaction
    public Uni<Void> delete(String project, String name, String label, Integer version, Actor actor) {
        if (label != null && version != null) {
            throw new InvalidRequestException("ask for a label or a version, not both");
        }
        Instant now = ModelService.now();
        return prompts.lock(project, name)
                .onItem().ifNull().failWith(() -> notFound(name, label, version))
                .chain(prompt -> labels.ofPrompt(project, name).chain(set -> resolveForDelete(project, name, label, version)
                        .chain(doomed -> {
                            if (doomed.isEmpty()) {
                                throw notFound(name, label, version);
                            }
                            Set<Integer> numbers = new java.util.HashSet<>();
                            doomed.forEach(v -> numbers.add(v.version));
                            List<PromptLabel> lost = set.stream().filter(l -> numbers.contains(l.version)).toList();
                            checkProtected(lost.stream().map(l -> l.label).toList(), actor);
                            Uni<Void> chain = Uni.createFrom().voidItem();
                            for (PromptLabel l : lost) {
                                chain = chain.call(() -> labels.delete(l))
                                        .call(() -> outbox.add(PromptLabelMoved.key(project, name), PromptLabelMoved.TYPE,
                                                PromptLabelMoved.of(project, name, l.label, l.version, null, actor.principal(), now)));
                            }
                            for (PromptVersion v : doomed) {
                                chain = chain.call(() -> versions.delete(v));
                            }
                            return chain.call(() -> versions.flush())
                                    .chain(() -> versions.latest(project, name))
                                    .chain(left -> {
                                        if (left == null) {
                                            return prompts.delete(prompt);
                                        }
                                        touch(prompt, now);
                                        return Uni.createFrom().voidItem();
                                    });
                        })));
    }

    private Uni<List<PromptVersion>> resolveForDelete(String project, String name, String label, Integer version) {
        if (label == null && version == null) {
            return versions.list("project = ?1 and name = ?2", project, name);
        }
        return resolve(project, name, label, version).map(v -> v == null ? List.of() : List.of(v));
    }

    private record Locked(Prompt prompt, PromptVersion version) {
    }

    private Uni<Locked> lockedVersion(String project, String name, int version) {
        return prompts.lock(project, name)
                .onItem().ifNull().failWith(() -> notFound(name, null, version))
                .chain(prompt -> versions.byKey(project, name, version)
                        .onItem().ifNull().failWith(() -> notFound(name, null, version))
                        .map(v -> new Locked(prompt, v)));
    }

    /** Moves each label to {@code version}, announcing each move; a label already there stays quiet. */
    private Uni<Void> setLabels(String project, String name, int version, List<String> set, String actor, Instant now) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (String label : set) {
            chain = chain.call(() -> labels.byKey(project, name, label).chain(current -> {
                if (current != null && current.version == version) {
                    return Uni.createFrom().voidItem();
                }
                Integer from = current == null ? null : current.version;
                PromptLabel moved = current;
                if (moved == null) {
                    moved = new PromptLabel();
                    moved.project = project;
                    moved.name = name;
                    moved.label = label;
                }
                moved.version = version;
                moved.updatedBy = actor;
                moved.updatedAt = now;
                return labels.persist(moved)
                        .call(() -> outbox.add(PromptLabelMoved.key(project, name), PromptLabelMoved.TYPE,
                                PromptLabelMoved.of(project, name, label, from, version, actor, now)))
                        .replaceWithVoid();
            }));
        }
        return chain;
    }

    private Uni<PromptVersion> resolve(String project, String name, String label, Integer version) {
        if (version != null) {
            return versions.byKey(project, name, version);
        }
        if (PromptRules.LATEST.equals(label)) {
            return versions.latest(project, name);
        }
        return labels.byKey(project, name, label)
                .chain(found -> found == null ? Uni.createFrom().nullItem() : versions.byKey(project, name, found.version));
    }

    private Uni<Fetched> fetched(Prompt prompt, PromptVersion version) {
        return labels.ofPrompt(prompt.project, prompt.name)
                .chain(set -> versions.latest(prompt.project, prompt.name)
                        .map(latest -> new Fetched(prompt, version, labelsOf(version, set, latest))));
    }

    private static List<String> labelsOf(PromptVersion version, List<PromptLabel> set, PromptVersion latest) {
        List<String> own = new ArrayList<>();
        set.stream().filter(l -> l.version == version.version).forEach(l -> own.add(l.label));
        if (latest != null && latest.version == version.version) {
            own.add(PromptRules.LATEST);
        }
        return own;
    }

    private void checkProtected(List<String> asked, Actor actor) {
        if (actor.admin()) {
            return;
        }
        for (String label : asked) {
            if (protectedLabels.contains(label)) {
                throw new ForbiddenException("label '" + label + "' is protected: only an admin may set, move or remove it "
                        + "(protected: " + new TreeSet<>(protectedLabels) + ")");
            }
        }
    }

    private static void touch(Prompt prompt, Instant now) {
        prompt.revision++;
        prompt.updatedAt = now;
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : List.copyOf(new LinkedHashSet<>(values));
    }

    private static void refuse(java.util.Optional<String> refusal) {
        refusal.ifPresent(why -> {
            throw new InvalidRequestException(why);
        });
    }

    /** Langfuse's words, which its SDKs show. */
    public static NotFoundException notFound(String name, String label, Integer version) {
        if (version != null) {
            return new NotFoundException("Prompt not found: '" + name + "' with version " + version);
        }
        return new NotFoundException(label == null ? "Prompt not found: '" + name + "'"
                : "Prompt not found: '" + name + "' with label '" + label + "'");
    }
}
