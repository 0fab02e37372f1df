package io.flywheel.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class DataSplitTest {

    @Test
    void theSameSeedGivesTheSameSplit() {
        assertThat(DataSplit.holdoutIndices(1000, 0.2, 7)).isEqualTo(DataSplit.holdoutIndices(1000, 0.2, 7));
        assertThat(DataSplit.holdoutIndices(1000, 0.2, 7)).isNotEqualTo(DataSplit.holdoutIndices(1000, 0.2, 8));
    }

    @Test
    void theAlgorithmMatchesAnIndependentReimplementation() {
        // make_reference.py reimplements java.util.Random from its Javadoc and the shuffle from
        // DataSplit's; if this fails, every split recorded so far has changed.
        for (JsonNode fixture : TestData.reference().get("split_fixtures")) {
            int[] expected = fixture.get("holdout_indices").valueStream().mapToInt(JsonNode::intValue).toArray();
            assertThat(DataSplit.holdoutIndices(fixture.get("n").intValue(), fixture.get("holdout_fraction").doubleValue(),
                    fixture.get("seed").longValue())).as(fixture.toString()).containsExactly(expected);
        }
    }

    @Test
    void holdoutTakesTheCeilingAndPartsCoverTheRowsInOrder() {
        List<Integer> rows = IntStream.range(0, 101).boxed().toList();

        DataSplit.Split<Integer> split = DataSplit.split(rows, 0.2, 3);

        assertThat(split.holdout()).hasSize(21).isSorted();
        assertThat(split.train()).hasSize(80).isSorted().doesNotContainAnyElementsOf(split.holdout());
        assertThat(DataSplit.holdoutSize(30, 0.1)).isEqualTo(3);
        assertThat(DataSplit.split(rows, 0.0, 3).holdout()).isEmpty();
    }

    @Test
    void aDatasetSplitsLikeItsRowList() {
        Dataset data = TestData.dataset(TestData.CLASSIFICATION_CSV);

        Dataset.Split split = data.split(0.25, 11);
        DataSplit.Split<Object> listSplit = DataSplit.split(new ArrayList<>(data.rows()), 0.25, 11);

        assertThat(split.holdout().rows()).isEqualTo(listSplit.holdout());
        assertThat(split.train().rows()).isEqualTo(listSplit.train());
        assertThat(split.holdout().type("plan")).isEqualTo(FeatureType.STRING);
    }

    @Test
    void refusesFractionsThatLeaveNothingToTrainOn() {
        assertThatThrownBy(() -> DataSplit.holdoutIndices(1, 0.5, 1))
                .hasMessage("a holdout_fraction of 0.5 of 1 rows leaves no rows to train on");
        assertThatThrownBy(() -> DataSplit.holdoutIndices(10, 1.0, 1))
                .hasMessage("holdout_fraction must be in [0, 1), got 1.0");
    }
}
