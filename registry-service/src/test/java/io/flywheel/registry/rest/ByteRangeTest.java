package io.flywheel.registry.rest;

import io.flywheel.registry.RangeNotSatisfiableException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ByteRangeTest {

    @Test
    void resolvesTheThreeFormsOfASingleRange() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).isEqualTo(new ByteRange(0, 99));
        assertThat(ByteRange.parse("bytes=900-", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange(900, 999));
        assertThat(ByteRange.parse("bytes=990-2000", 1000)).isEqualTo(new ByteRange(990, 999));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange(0, 999));
        assertThat(new ByteRange(10, 19).contentRange(1000)).isEqualTo("bytes 10-19/1000");
        assertThat(new ByteRange(10, 19).length()).isEqualTo(10);
    }

    @Test
    void whatItCanNotHonourSimplyMeansTheWholeContent() {
        assertThat(ByteRange.parse(null, 1000)).isNull();
        assertThat(ByteRange.parse("items=0-1", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=5-1", 1000)).isNull();
        assertThat(ByteRange.parse("bytes=x-1", 1000)).isNull();
    }

    @Test
    void aRangePastTheEndIsNotSatisfiable() {
        assertThatThrownBy(() -> ByteRange.parse("bytes=1000-", 1000)).isInstanceOf(RangeNotSatisfiableException.class);
        assertThatThrownBy(() -> ByteRange.parse("bytes=-0", 1000)).isInstanceOf(RangeNotSatisfiableException.class);
    }
}
