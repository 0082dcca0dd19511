package dev.keel.raft.tls;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/** Collects what a logger (and its children) logs, from any thread, until closed. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {

  private final Logger logger;
  private final @Nullable Level previousLevel;
  private final List<String> lines = new CopyOnWriteArrayList<>();

  private LogCapture(String loggerName, @Nullable Level level) {
    this.logger = (Logger) LoggerFactory.getLogger(loggerName);
    this.previousLevel = logger.getLevel();
    if (level != null) {
      logger.setLevel(level);
    }
    setContext(logger.getLoggerContext());
    start();
    logger.addAppender(this);
  }

  /** Starts collecting what {@code loggerName} and the loggers below it log. */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName, null);
  }

  /** Starts collecting, with {@code loggerName} set to {@code level} until closed. */
  public static LogCapture of(String loggerName, Level level) {
    return new LogCapture(loggerName, level);
  }

  @Override
  protected void append(ILoggingEvent event) {
    String line =
        event.getLevel() + " " + event.getLoggerName() + " " + event.getFormattedMessage();
    if (event.getThrowableProxy() != null) {
      line += " / " + event.getThrowableProxy().getMessage();
    }
    lines.add(line);
  }

  /** Everything collected so far, as "LEVEL logger message / exception message". */
  public List<String> lines() {
    return List.copyOf(lines);
  }

  /** Whether a collected line contains every one of {@code parts}. */
  public boolean contains(String... parts) {
    return lines.stream().anyMatch(line -> List.of(parts).stream().allMatch(line::contains));
  }

  public void clear() {
    lines.clear();
  }

  @Override
  public void close() {
    logger.detachAppender(this);
    logger.setLevel(previousLevel);
    stop();
  }
}
