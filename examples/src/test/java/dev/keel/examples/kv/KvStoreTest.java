package dev.keel.examples.kv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.junit.jupiter.api.Test;

class KvStoreTest {

  private final KvStore store = new KvStore();

  @Test
  void putAnswersThePreviousValueAndGetReadsTheNewOne() {
    assertThat(store.apply(new KvStore.Put("k", "a"))).isEqualTo(new KvStore.Result(true, null));
    assertThat(store.apply(new KvStore.Put("k", "b"))).isEqualTo(new KvStore.Result(true, "a"));
    assertThat(store.query(new KvStore.Get("k"))).isEqualTo(new KvStore.Result(true, "b"));
    assertThat(store.query(new KvStore.Get("other"))).isEqualTo(new KvStore.Result(true, null));
  }

  @Test
  void compareAndSetReplacesOnlyTheExpectedValueAndNeverAnAbsentKey() {
    assertThat(store.apply(new KvStore.CompareAndSet("k", "", "x")))
        .isEqualTo(new KvStore.Result(false, null));
    store.apply(new KvStore.Put("k", ""));
    assertThat(store.apply(new KvStore.CompareAndSet("k", "nope", "x")))
        .isEqualTo(new KvStore.Result(false, ""));
    assertThat(store.apply(new KvStore.CompareAndSet("k", "", "x")))
        .isEqualTo(new KvStore.Result(true, ""));
    assertThat(store.query(new KvStore.Get("k")).value()).isEqualTo("x");
  }

  @Test
  void deleteRemovesTheKeyAndAnswersWhatItHeld() {
    store.apply(new KvStore.Put("k", "v"));
    assertThat(store.apply(new KvStore.Delete("k"))).isEqualTo(new KvStore.Result(true, "v"));
    assertThat(store.apply(new KvStore.Delete("k"))).isEqualTo(new KvStore.Result(true, null));
    assertThat(store.query(new KvStore.Get("k")).value()).isNull();
  }

  @Test
  void snapshotRestoresEveryEntryIncludingLongAndNonAsciiValues() throws IOException {
    String longValue = "ü".repeat(40_000); // 80,000 bytes of UTF-8: beyond writeUTF's limit
    store.apply(new KvStore.Put("héllo/wörld", longValue));
    store.apply(new KvStore.Put("empty", ""));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.snapshot(out);

    KvStore restored = new KvStore();
    restored.apply(new KvStore.Put("stale", "gone after restore"));
    restored.restore(new ByteArrayInputStream(out.toByteArray()));
    assertThat(restored.query(new KvStore.Get("héllo/wörld")).value()).isEqualTo(longValue);
    assertThat(restored.query(new KvStore.Get("empty")).value()).isEmpty();
    assertThat(restored.query(new KvStore.Get("stale")).value()).isNull();
  }

  @Test
  void aTruncatedSnapshotIsRefused() throws IOException {
    store.apply(new KvStore.Put("k", "value"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.snapshot(out);
    byte[] bytes = out.toByteArray();
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 2);
    assertThatThrownBy(() -> new KvStore().restore(new ByteArrayInputStream(truncated)))
        .isInstanceOf(IOException.class);
  }
}
