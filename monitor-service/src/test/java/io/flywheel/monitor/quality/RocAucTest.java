package io.flywheel.monitor.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class RocAucTest {

    @Test
    void exactMatchesNumpyPairwiseDefinition() {
        // quality_reference.py: mean over (pos, neg) pairs of [s+ > s-] + 0.5 [s+ == s-];
        // cross-checked there against scipy.stats.mannwhitneyu U / (P N)
        assertEquals(0.7578125, RocAuc.exact(ReferenceData.SCORES, ReferenceData.LABELS), 1e-15);
    }

    @Test
    void tiesCountHalf() {
        // one positive, one negative, same score: AUC 0.5 (sklearn gives 0.5)
        assertEquals(0.5, RocAuc.exact(new double[] {0.3, 0.3}, new boolean[] {true, false}));
        // pos {0.4, 0.6}, neg {0.4, 0.2}: pairs (0.4,0.4)=.5 (0.4,0.2)=1 (0.6,0.4)=1 (0.6,0.2)=1 -> 3.5/4
        assertEquals(0.875, RocAuc.exact(new double[] {0.4, 0.6, 0.4, 0.2},
                new boolean[] {true, true, false, false}));
        // scores need not be probabilities (sklearn accepts decision values)
        assertEquals(1.0, RocAuc.exact(new double[] {-3.0, 7.5}, new boolean[] {false, true}));
    }

    @Test
    void singleClassIsNaN() {
        assertTrue(Double.isNaN(RocAuc.exact(new double[] {0.1, 0.9}, new boolean[] {true, true})));
        assertTrue(Double.isNaN(RocAuc.exact(new double[0], new boolean[0])));
    }

    @Test
    void badInputThrows() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RocAuc.exact(new double[] {0.1, Double.NaN}, new boolean[] {true, false}));
        assertTrue(e.getMessage().contains("scores[1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> RocAuc.exact(new double[] {0.1}, new boolean[] {true, false}));
    }

    @Test
    void agreesWithQuadraticDefinitionOnRandomData() {
        Random r = new Random(11);
        for (int trial = 0; trial < 20; trial++) {
            int n = 2 + r.nextInt(300);
            double[] s = new double[n];
            boolean[] y = new boolean[n];
            for (int i = 0; i < n; i++) {
                y[i] = r.nextBoolean();
                s[i] = Math.round((r.nextDouble() + (y[i] ? 0.3 : 0.0)) * 20) / 20.0; // coarse: many ties
            }
            double wins = 0;
            long pairs = 0;
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    if (y[i] && !y[j]) {
                        pairs++;
                        wins += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }
            double expected = pairs == 0 ? Double.NaN : wins / pairs;
            assertEquals(expected, RocAuc.exact(s, y), 1e-12, "trial " + trial);
        }
    }
}
