package io.flywheel.monitor.llm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flywheel.monitor.config.MonitorConfig;
import io.flywheel.monitor.llm.cost.CostCalculator;
import io.flywheel.monitor.llm.cost.PriceTable;
import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The price table: {@code monitor.llm.prices-file} when set, else the built-in {@code llm/prices.json}. A bad table stops the start. */
@ApplicationScoped
public class Prices {

    static final String BUILT_IN = "llm/prices.json";

    @Produces
    @ApplicationScoped
    CostCalculator calculator(MonitorConfig config) {
        ObjectMapper json = new ObjectMapper();
        String source = config.llm().pricesFile().orElse(null);
        try (InputStream in = source == null
                ? Thread.currentThread().getContextClassLoader().getResourceAsStream(BUILT_IN)
                : Files.newInputStream(Path.of(source))) {
            if (in == null) {
                throw new IllegalStateException("the built-in price table " + BUILT_IN + " is missing");
            }
            PriceTable table = PriceTable.read(in, json);
            Log.infof("LLM price table: %d rows from %s", table.prices().size(), source == null ? BUILT_IN : source);
            return new CostCalculator(table);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the price table " + (source == null ? BUILT_IN : source), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("price table " + (source == null ? BUILT_IN : source) + ": " + e.getMessage(), e);
        }
    }
}
