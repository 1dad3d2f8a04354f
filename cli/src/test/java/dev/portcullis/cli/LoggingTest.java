package dev.portcullis.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The logging configuration, as the logback.xml it replaces had it. */
class LoggingTest {

    @Test
    void logbackFindsTheConfigurationAndItWritesOneLinePerEventWithKeyValuePairs() {
        assertThat(ServiceLoader.load(Configurator.class)).anyMatch(c -> c instanceof Logging);
        LoggerContext context = new LoggerContext();
        Logging logging = new Logging();
        logging.setContext(context);
        assertThat(logging.configure(context)).isEqualTo(Configurator.ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY);

        assertThat(context.getLogger("org.eclipse.jetty.server").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("com.zaxxer.hikari.pool").getEffectiveLevel()).isEqualTo(Level.WARN);
        assertThat(context.getLogger("org.flywaydb.core").getEffectiveLevel()).isEqualTo(Level.WARN);
        ch.qos.logback.classic.Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);

        ConsoleAppender<?> stderr = (ConsoleAppender<?>) root.getAppender("STDERR");
        assertThat(stderr.getTarget()).isEqualTo("System.err");
        LoggingEvent event = new LoggingEvent("x", context.getLogger("dev.portcullis.server.Server"), Level.INFO,
                "started", null, null);
        event.addKeyValuePair(new org.slf4j.event.KeyValuePair("port", 5000));
        @SuppressWarnings("unchecked")
        LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent> encoder =
                (LayoutWrappingEncoder<ch.qos.logback.classic.spi.ILoggingEvent>) stderr.getEncoder();
        String line = new String(encoder.encode(event), StandardCharsets.UTF_8);
        assertThat(line).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO  Server started"
                + " port=\"5000\"\\R");
    }
}
