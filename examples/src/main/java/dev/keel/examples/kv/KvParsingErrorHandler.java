package dev.keel.examples.kv;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests pekko-http cannot even parse (a malformed request target or percent-escape, a
 * URI or header over its limits) with the same JSON error body as every other error, instead of
 * pekko-http's plain text. Configured as {@code pekko.http.server.parsing.error-handler}.
 */
public final class KvParsingErrorHandler extends ParsingErrorHandler {

  /** Instantiated by pekko-http, by reflection. */
  public KvParsingErrorHandler() {}

  @Override
  public HttpResponse handle(
      StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
    String code =
        switch (status.intValue()) {
          case 414 -> "uri_too_long";
          case 431 -> "headers_too_large";
          case 413 -> "value_too_large";
          default -> status.intValue() < 500 ? "bad_request" : "server_error";
        };
    return Problem.of(status.intValue(), code, info.summary()).toResponse();
  }
}
