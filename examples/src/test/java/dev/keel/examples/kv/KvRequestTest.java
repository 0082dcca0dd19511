package dev.keel.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;

class KvRequestTest {

  @Test
  void keysArePercentDecodedUtf8WithSlashesAndPlusesKept() throws Problem.Raised {
    assertThat(KvRequest.parse("GET", "/kv/h%C3%A9llo%20w%C3%B6rld"))
        .isEqualTo(new KvRequest.GetValue("héllo wörld", false));
    assertThat(KvRequest.parse("GET", "/kv/a%2Fb")).isEqualTo(new KvRequest.GetValue("a/b", false));
    assertThat(KvRequest.parse("GET", "/kv/a/b")).isEqualTo(new KvRequest.GetValue("a/b", false));
    assertThat(KvRequest.parse("DELETE", "/kv/a+b")).isEqualTo(new KvRequest.DeleteValue("a+b"));
  }

  @Test
  void queryValuesAreDecodedAsForms() throws Problem.Raised {
    assertThat(KvRequest.parse("PUT", "/kv/k?prev=x+y%2Bz%E2%9C%93"))
        .isEqualTo(new KvRequest.PutValue("k", "x y+z✓"));
    assertThat(KvRequest.parse("PUT", "/kv/k?prev=")).isEqualTo(new KvRequest.PutValue("k", ""));
    assertThat(KvRequest.parse("PUT", "/kv/k")).isEqualTo(new KvRequest.PutValue("k", null));
  }

  @Test
  void staleTakesTrueFalseOrNoValue() throws Problem.Raised {
    assertThat(KvRequest.parse("GET", "/kv/k?stale=true"))
        .isEqualTo(new KvRequest.GetValue("k", true));
    assertThat(KvRequest.parse("GET", "/kv/k?stale")).isEqualTo(new KvRequest.GetValue("k", true));
    assertThat(KvRequest.parse("GET", "/kv/k?stale=false"))
        .isEqualTo(new KvRequest.GetValue("k", false));
    assertProblem(() -> KvRequest.parse("GET", "/kv/k?stale=yes"), 400, "bad_request");
  }

  @Test
  void absoluteFormTargetsAreReadLikeOriginForm() throws Problem.Raised {
    assertThat(KvRequest.parse("GET", "http://127.0.0.1:8001/kv/k?stale=true"))
        .isEqualTo(new KvRequest.GetValue("k", true));
    assertThat(KvRequest.parse("GET", "/_status")).isEqualTo(new KvRequest.Status());
  }

  @Test
  void unknownPathsAre404AndUnsupportedMethods405WithAllow() {
    for (String path : new String[] {"/", "/kv", "/kvx/a", "/_status/x", "/KV/a"}) {
      assertProblem(() -> KvRequest.parse("GET", path), 404, "not_found");
    }
    Problem post = problem(() -> KvRequest.parse("POST", "/kv/a"));
    assertThat(post.status()).isEqualTo(405);
    assertThat(post.headers()).anySatisfy(h -> assertThat(h.value()).isEqualTo("GET, PUT, DELETE"));
    assertProblem(() -> KvRequest.parse("PUT", "/_status"), 405, "method_not_allowed");
  }

  @Test
  void badKeysAre400() {
    assertProblem(() -> KvRequest.parse("GET", "/kv/"), 400, "bad_key");
    assertProblem(() -> KvRequest.parse("GET", "/kv/a%0Ab"), 400, "bad_key");
    assertProblem(() -> KvRequest.parse("GET", "/kv/%FF"), 400, "invalid_utf8");
    assertProblem(() -> KvRequest.parse("GET", "/kv/%C3"), 400, "invalid_utf8");
    assertProblem(() -> KvRequest.parse("GET", "/kv/a%2"), 400, "bad_request");
    assertProblem(() -> KvRequest.parse("GET", "/kv/a%G1"), 400, "bad_request");
    assertProblem(
        () -> KvRequest.parse("GET", "/kv/" + "k".repeat(KvRequest.MAX_KEY_BYTES + 1)),
        400,
        "key_too_large");
  }

  @Test
  void keysOfExactlyTheLimitAreAccepted() throws Problem.Raised {
    String key = "é".repeat(KvRequest.MAX_KEY_BYTES / 2);
    assertThat(KvRequest.parse("GET", "/kv/" + "%C3%A9".repeat(KvRequest.MAX_KEY_BYTES / 2)))
        .isEqualTo(new KvRequest.GetValue(key, false));
    assertProblem(
        () -> KvRequest.parse("GET", "/kv/x" + "%C3%A9".repeat(KvRequest.MAX_KEY_BYTES / 2)),
        400,
        "key_too_large");
  }

  @Test
  void unknownOrRepeatedParametersAre400() {
    assertProblem(() -> KvRequest.parse("GET", "/kv/k?prev=1"), 400, "bad_request");
    assertProblem(() -> KvRequest.parse("DELETE", "/kv/k?stale=true"), 400, "bad_request");
    assertProblem(() -> KvRequest.parse("PUT", "/kv/k?prev=1&prev=2"), 400, "bad_request");
    assertProblem(() -> KvRequest.parse("PUT", "/kv/k?prev=%FF"), 400, "invalid_utf8");
  }

  @Test
  void valuesAreUtf8UpToTheLimit() throws Problem.Raised {
    assertThat(KvRequest.value(new byte[0])).isEmpty();
    byte[] limit = "v".repeat(KvRequest.MAX_VALUE_BYTES).getBytes(StandardCharsets.UTF_8);
    assertThat(KvRequest.value(limit)).hasSize(KvRequest.MAX_VALUE_BYTES);
    assertProblem(
        () -> KvRequest.value(new byte[KvRequest.MAX_VALUE_BYTES + 1]), 400, "value_too_large");
    assertProblem(() -> KvRequest.value(new byte[] {(byte) 0xC3, 'a'}), 400, "invalid_utf8");
    String prev = "%41".repeat(KvRequest.MAX_VALUE_BYTES + 1);
    assertProblem(() -> KvRequest.parse("PUT", "/kv/k?prev=" + prev), 400, "value_too_large");
  }

  private static void assertProblem(
      ThrowableAssert.ThrowingCallable call, int status, String code) {
    Problem problem = problem(call);
    assertThat(problem.status()).as(problem.message()).isEqualTo(status);
    assertThat(problem.code()).as(problem.message()).isEqualTo(code);
  }

  private static Problem problem(ThrowableAssert.ThrowingCallable call) {
    Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(call);
    assertThat(thrown).isInstanceOf(Problem.Raised.class);
    return ((Problem.Raised) thrown).problem();
  }
}
