package io.flywheel.retrain.code;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PushPayloadsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SHA = "9f1c2e3d4b5a69788776655443322110ffeeddcc";

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    /** The parts of GitHub's push event that matter, as GitHub sends them (with some of the rest). */
    private static String github(String ref, String after, boolean deleted) {
        return """
                {"ref": "%s", "before": "1111111111111111111111111111111111111111", "after": "%s",
                 "created": false, "deleted": %s, "forced": false,
                 "repository": {"id": 1, "name": "churn-trainer", "full_name": "acme/churn-trainer",
                                "html_url": "https://github.com/acme/churn-trainer",
                                "clone_url": "https://github.com/acme/churn-trainer.git",
                                "ssh_url": "git@github.com:acme/churn-trainer.git",
                                "git_url": "git://github.com/acme/churn-trainer.git", "default_branch": "main"},
                 "pusher": {"name": "octocat", "email": "octocat@example.com"},
                 "head_commit": {"id": "%s", "message": "tune C"}, "commits": []}""".formatted(ref, after, deleted, after);
    }

    /** GitLab's push hook, likewise. */
    private static String gitlab(String ref, String checkoutSha) {
        return """
                {"object_kind": "push", "event_name": "push", "before": "1111111111111111111111111111111111111111",
                 "after": "%s", "ref": "%s", "checkout_sha": %s, "user_username": "jsmith",
                 "project": {"id": 15, "name": "churn-trainer", "web_url": "https://gitlab.example.com/ml/churn-trainer",
                             "git_ssh_url": "git@gitlab.example.com:ml/churn-trainer.git",
                             "git_http_url": "https://gitlab.example.com/ml/churn-trainer.git", "default_branch": "main"},
                 "repository": {"name": "churn-trainer", "url": "git@gitlab.example.com:ml/churn-trainer.git",
                                "homepage": "https://gitlab.example.com/ml/churn-trainer",
                                "git_http_url": "https://gitlab.example.com/ml/churn-trainer.git"},
                 "commits": [], "total_commits_count": 1}"""
                .formatted(checkoutSha == null ? "0000000000000000000000000000000000000000" : checkoutSha, ref,
                        checkoutSha == null ? "null" : "\"" + checkoutSha + "\"");
    }

    @Test
    void aGithubPushToABranchNamesItsBranchCommitAndEveryAddressOfTheRepository() throws Exception {
        Push push = PushPayloads.github(json(github("refs/heads/main", SHA.toUpperCase(), false)), "delivery-1");

        assertThat(push.source()).isEqualTo("github");
        assertThat(push.delivery()).isEqualTo("delivery-1");
        assertThat(push.branch()).isEqualTo("main");
        assertThat(push.commit()).as("lower case").isEqualTo(SHA);
        assertThat(push.pusher()).isEqualTo("octocat");
        assertThat(push.repositories()).containsExactly("https://github.com/acme/churn-trainer.git", "https://github.com/acme/churn-trainer",
                "git@github.com:acme/churn-trainer.git", "git://github.com/acme/churn-trainer.git");
        assertThat(push.unusable()).isNull();
    }

    @Test
    void aGithubTagPushOrBranchDeletionCantStartARetraining() throws Exception {
        Push tag = PushPayloads.github(json(github("refs/tags/v1.2", SHA, false)), null);
        assertThat(tag.branch()).isNull();
        assertThat(tag.unusable()).isEqualTo("'refs/tags/v1.2' is not a branch");

        Push deleted = PushPayloads.github(json(github("refs/heads/old", "0000000000000000000000000000000000000000", true)), null);
        assertThat(deleted.commit()).isNull();
        assertThat(deleted.unusable()).isEqualTo("branch 'old' was deleted");
    }

    @Test
    void aGithubPayloadWithoutItsRefRepositoryOrWithABadCommitIsRefused() throws Exception {
        assertThatThrownBy(() -> PushPayloads.github(json("{\"after\": \"" + SHA + "\", \"repository\": {\"clone_url\": \"x\"}}"), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("ref is required");
        assertThatThrownBy(() -> PushPayloads.github(json("{\"ref\": \"refs/heads/main\", \"after\": \"" + SHA + "\"}"), null))
                .hasMessageContaining("repository.clone_url is required");
        assertThatThrownBy(() -> PushPayloads.github(json(github("refs/heads/main", "main~1; rm -rf /", false)), null))
                .hasMessage("after must be a commit id (hex), not 'main~1; rm -rf /'");
    }

    @Test
    void aGitlabPushHookNamesItsBranchCheckoutShaAndTheProjectsAddresses() throws Exception {
        Push push = PushPayloads.gitlab(json(gitlab("refs/heads/main", SHA)));

        assertThat(push.source()).isEqualTo("gitlab");
        assertThat(push.branch()).isEqualTo("main");
        assertThat(push.commit()).isEqualTo(SHA);
        assertThat(push.pusher()).isEqualTo("jsmith");
        assertThat(push.repositories()).containsExactly("https://gitlab.example.com/ml/churn-trainer.git",
                "git@gitlab.example.com:ml/churn-trainer.git", "https://gitlab.example.com/ml/churn-trainer");
    }

    @Test
    void aGitlabBranchDeletionOrAnotherKindOfHookCantStartARetraining() throws Exception {
        Push deleted = PushPayloads.gitlab(json(gitlab("refs/heads/feature", null)));
        assertThat(deleted.unusable()).isEqualTo("branch 'feature' was deleted");

        assertThatThrownBy(() -> PushPayloads.gitlab(json("{\"object_kind\": \"tag_push\", \"ref\": \"refs/tags/v1\"}")))
                .hasMessage("object_kind must be push, not 'tag_push'");
        assertThatThrownBy(() -> PushPayloads.gitlab(json("{\"ref\": \"refs/heads/main\"}")))
                .hasMessage("object_kind must be push, not missing");
        assertThatThrownBy(() -> PushPayloads.gitlab(json("{\"object_kind\": \"push\", \"ref\": \"refs/heads/main\", \"checkout_sha\": \"" + SHA + "\"}")))
                .hasMessageContaining("project.git_http_url is required");
    }
}
