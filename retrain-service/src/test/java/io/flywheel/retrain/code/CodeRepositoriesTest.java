package io.flywheel.retrain.code;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which pushes a policy's trainer.code matches: the repository's addresses and the branch. */
class CodeRepositoriesTest {

    @Test
    void aLocalRepositoryIsTheSameWhetherNamedByPathOrFileUrlWithOrWithoutGitAndSlash() {
        assertThat(CodeRepositories.sameRepository("/srv/git/churn-trainer.git", List.of("file:///srv/git/churn-trainer.git"))).isTrue();
        assertThat(CodeRepositories.sameRepository("/srv/git/churn-trainer.git", List.of("/srv/git/churn-trainer/"))).isTrue();
        assertThat(CodeRepositories.sameRepository("file:///srv/git/churn-trainer", List.of("/srv/git/./churn-trainer.git"))).isTrue();
        assertThat(CodeRepositories.sameRepository("/srv/git/churn-trainer.git", List.of("/srv/git/churn-trainer-v2.git"))).isFalse();
        assertThat(CodeRepositories.sameRepository("/srv/git/churn-trainer.git", List.of("/srv/other/churn-trainer.git"))).isFalse();
    }

    @Test
    void aForgeRepositoryMatchesAnyOfThePushsAddressesIgnoringTheHostsCase() {
        List<String> github = List.of("https://github.com/acme/churn-trainer.git", "https://github.com/acme/churn-trainer",
                "git@github.com:acme/churn-trainer.git");
        assertThat(CodeRepositories.sameRepository("https://GitHub.com/acme/churn-trainer", github)).isTrue();
        assertThat(CodeRepositories.sameRepository("git@github.com:acme/churn-trainer", github)).isTrue();
        assertThat(CodeRepositories.sameRepository("https://github.com/acme/Churn-Trainer", github)).as("the path keeps its case").isFalse();
        assertThat(CodeRepositories.sameRepository("https://github.com/acme/churn", github)).isFalse();
        assertThat(CodeRepositories.sameRepository("https://gitlab.com/acme/churn-trainer", github)).isFalse();
    }

    @Test
    void aPushNamesABranchOnlyUnderRefsHeads() {
        assertThat(CodeRepositories.branchOf("refs/heads/main")).isEqualTo("main");
        assertThat(CodeRepositories.branchOf("refs/heads/feature/tune-c")).isEqualTo("feature/tune-c");
        assertThat(CodeRepositories.branchOf("refs/tags/v1")).isNull();
        assertThat(CodeRepositories.branchOf("main")).isNull();
    }

    @Test
    void whatAPolicyMayNameAsRepositoryAndBranch() {
        assertThat(CodeRepositories.problem("/srv/git/churn-trainer.git")).isNull();
        assertThat(CodeRepositories.problem("file:///srv/git/churn-trainer.git")).isNull();
        assertThat(CodeRepositories.problem("https://github.com/acme/churn-trainer.git")).isNull();
        assertThat(CodeRepositories.problem("git@github.com:acme/churn-trainer.git")).isNull();
        assertThat(CodeRepositories.problem("--upload-pack=touch /tmp/x")).isEqualTo("must not start with '-'");
        assertThat(CodeRepositories.problem("https://user:password@github.com/acme/x.git")).contains("must not carry a password");
        assertThat(CodeRepositories.problem("relative/path")).startsWith("must be an absolute path");
        assertThat(CodeRepositories.problem("ftp://host/x.git")).startsWith("must be an absolute path");

        assertThat(CodeRepositories.validBranch("main")).isTrue();
        assertThat(CodeRepositories.validBranch("release/2026.12")).isTrue();
        assertThat(CodeRepositories.validBranch("-f")).isFalse();
        assertThat(CodeRepositories.validBranch("a..b")).isFalse();
        assertThat(CodeRepositories.validBranch("refs/heads/main")).as("a branch, not a ref").isFalse();
        assertThat(CodeRepositories.validBranch("with space")).isFalse();
    }

    @Test
    void aTrainerIsNamedAfterItsRepository() {
        assertThat(CodeRepositories.defaultName("/srv/git/churn-trainer.git")).isEqualTo("churn-trainer");
        assertThat(CodeRepositories.defaultName("git@github.com:acme/churn-trainer.git")).isEqualTo("churn-trainer");
        assertThat(CodeRepositories.defaultName("https://github.com/acme/churn-trainer/")).isEqualTo("churn-trainer");
    }
}
