package io.flywheel.retrain.code;

import io.flywheel.retrain.support.GitRepos;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checking a trainer's repository out at one commit, with the real git on real local repositories. */
class GitCheckoutTest {

    @TempDir
    Path dir;

    private final GitCheckout git = new GitCheckout("git", Duration.ofMinutes(1));

    @BeforeAll
    static void needsGit() {
        GitRepos.assumeGit();
    }

    @Test
    void aCommitIsCheckedOutExactlyAndTheBranchHeadWhenNoneIsGiven() throws Exception {
        GitRepos.Repo repo = GitRepos.create(dir, "trainer");
        String first = repo.commit("first", Map.of("VERSION", "v1\n"));
        String second = repo.commit("second", Map.of("VERSION", "v2\n"));

        List<String> log = new ArrayList<>();
        assertThat(git.checkout(repo.bare().toString(), "main", first.substring(0, 10), dir.resolve("at-first"), log::add)).isEqualTo(first);
        assertThat(Files.readString(dir.resolve("at-first/VERSION"))).isEqualTo("v1\n");

        assertThat(git.checkout("file://" + repo.bare(), "main", null, dir.resolve("at-head"), log::add)).isEqualTo(second);
        assertThat(Files.readString(dir.resolve("at-head/VERSION"))).isEqualTo("v2\n");
    }

    @Test
    void aCommitOnAnotherBranchIsFoundAndAMissingCommitOrBranchSaysSo() throws Exception {
        GitRepos.Repo repo = GitRepos.create(dir, "trainer");
        repo.commit("first", Map.of("VERSION", "v1\n"));
        repo.branch("feature");
        String onFeature = repo.commit("feature work", Map.of("VERSION", "feature\n"));

        assertThat(git.checkout(repo.bare().toString(), "main", onFeature, dir.resolve("feature"), line -> { })).isEqualTo(onFeature);
        assertThat(Files.readString(dir.resolve("feature/VERSION"))).isEqualTo("feature\n");

        String absent = "0123456789abcdef0123456789abcdef01234567";
        assertThatThrownBy(() -> git.checkout(repo.bare().toString(), "main", absent, dir.resolve("absent"), line -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("commit " + absent + " is not in " + repo.bare() + " (no branch or tag of it reaches it)");
        assertThatThrownBy(() -> git.checkout(repo.bare().toString(), "release", null, dir.resolve("release"), line -> { }))
                .hasMessage("branch 'release' is not in " + repo.bare());
        assertThatThrownBy(() -> git.checkout(dir.resolve("nothing-here.git").toString(), "main", null, dir.resolve("none"), line -> { }))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("cloning " + dir.resolve("nothing-here.git") + " failed (exit code 128): ")
                .hasMessageContaining("does not exist");
    }
}
