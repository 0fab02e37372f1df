package io.flywheel.llm.eval;

import org.apache.commons.text.similarity.LevenshteinDistance;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Embedding-free string similarity, each in [0, 1] (1 = the same): normalised Levenshtein over
 * characters, and token F1 (SQuAD's: the harmonic mean of token precision and recall, tokens counted
 * with multiplicity). Both compare normalised text: trimmed, runs of white space as one space, and
 * lower case unless told otherwise.
 */
public final class Similarity {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern NOT_A_TOKEN = Pattern.compile("[^\\p{L}\\p{N}]+");

    private Similarity() {
    }

    public static String normalise(String text, boolean caseSensitive) {
        String t = WHITESPACE.matcher(text == null ? "" : text.strip()).replaceAll(" ");
        return caseSensitive ? t : t.toLowerCase(Locale.ROOT);
    }

    /** 1 - edit distance / the longer length; two empty strings are the same. */
    public static double levenshtein(String a, String b) {
        int longer = Math.max(a.length(), b.length());
        if (longer == 0) {
            return 1;
        }
        return 1 - (double) LevenshteinDistance.getDefaultInstance().apply(a, b) / longer;
    }

    /** Words and numbers, punctuation dropped: "Paris, France." is [paris, france] once lower-cased. */
    public static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        for (String t : NOT_A_TOKEN.split(text)) {
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    /** Token F1 of a candidate against a reference; two texts without tokens are the same, one without is 0. */
    public static double tokenF1(String candidate, String reference) {
        List<String> c = tokens(candidate);
        List<String> r = tokens(reference);
        if (c.isEmpty() || r.isEmpty()) {
            return c.isEmpty() && r.isEmpty() ? 1 : 0;
        }
        Map<String, Integer> counts = new HashMap<>();
        r.forEach(t -> counts.merge(t, 1, Integer::sum));
        int common = 0;
        for (String t : c) {
            Integer left = counts.get(t);
            if (left != null && left > 0) {
                common++;
                counts.put(t, left - 1);
            }
        }
        if (common == 0) {
            return 0;
        }
        double precision = (double) common / c.size();
        double recall = (double) common / r.size();
        return 2 * precision * recall / (precision + recall);
    }
}
