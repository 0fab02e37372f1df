package io.flywheel.monitor.window;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference profile ready for folding: one {@link Binner} per monitored feature (the prediction
 * last, if fitted) and the offset of each feature's bins in a pane's flat count array.
 */
public final class CompiledProfile {

    private final ReferenceProfile profile;
    private final List<Binner> binners;
    private final Map<String, Integer> indexByName;
    private final int[] offsets;
    private final int width;
    private final int predictionIndex;

    private CompiledProfile(ReferenceProfile profile) {
        this.profile = profile;
        List<Binner> list = new ArrayList<>();
        for (FeatureReference f : profile.features()) {
            list.add(Binner.of(f));
        }
        if (profile.prediction() != null) {
            list.add(Binner.of(profile.prediction()));
        }
        this.binners = Collections.unmodifiableList(list);
        this.predictionIndex = profile.prediction() == null ? -1 : list.size() - 1;
        this.offsets = new int[list.size() + 1];
        this.indexByName = new HashMap<>();
        for (int i = 0; i < list.size(); i++) {
            offsets[i + 1] = offsets[i] + list.get(i).binCount();
            indexByName.put(i == predictionIndex ? ReferenceProfile.PREDICTION : list.get(i).reference().name(), i);
        }
        this.width = offsets[list.size()];
    }

    public static CompiledProfile of(ReferenceProfile profile) {
        return new CompiledProfile(profile);
    }

    public ReferenceProfile profile() {
        return profile;
    }

    /** Features, then the prediction if fitted. */
    public List<Binner> binners() {
        return binners;
    }

    public int featureCount() {
        return binners.size();
    }

    /** Index of the prediction among {@link #binners()}, or -1. */
    public int predictionIndex() {
        return predictionIndex;
    }

    public String nameAt(int i) {
        return i == predictionIndex ? ReferenceProfile.PREDICTION : binners.get(i).reference().name();
    }

    public int offset(int feature) {
        return offsets[feature];
    }

    /** Total bins over all features: the length of a pane's count array. */
    public int width() {
        return width;
    }

    /** The window's counts of one feature. */
    public long[] slice(long[] flat, int feature) {
        return java.util.Arrays.copyOfRange(flat, offsets[feature], offsets[feature + 1]);
    }

    /**
     * The flat bin indexes of one event's features and prediction ({@link Binner#MISSING} for a
     * missing value). A value of the wrong type throws, naming the feature.
     */
    public int[] binsOf(Map<String, Object> inputs, Object prediction) {
        int[] out = new int[binners.size()];
        for (int i = 0; i < binners.size(); i++) {
            Object value = i == predictionIndex ? prediction : inputs.get(binners.get(i).reference().name());
            int bin = binners.get(i).binOf(value);
            out[i] = bin == Binner.MISSING ? Binner.MISSING : offsets[i] + bin;
        }
        return out;
    }

    public Integer indexOf(String name) {
        return indexByName.get(name);
    }
}
