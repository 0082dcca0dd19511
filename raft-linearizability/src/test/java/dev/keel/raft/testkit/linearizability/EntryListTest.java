package dev.keel.raft.testkit.linearizability;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EntryListTest {

  private static List<Operation<String, String>> operations(long... invokeAndReturn) {
    List<Operation<String, String>> operations = new ArrayList<>();
    for (int op = 0; op < invokeAndReturn.length / 2; op++) {
      long invoke = invokeAndReturn[2 * op];
      long returned = invokeAndReturn[2 * op + 1];
      operations.add(
          returned == Operation.NEVER
              ? Operation.indeterminate(op, 1, "op" + op, invoke)
              : Operation.completed(op, 1, "op" + op, "ok", invoke, returned));
    }
    return operations;
  }

  /** The list as "c0 r0 ...": c for a call, r for a return, then the op number. */
  private static String render(EntryList entries) {
    StringBuilder text = new StringBuilder();
    for (int e = entries.first(); e != EntryList.NONE; e = entries.next(e)) {
      text.append(EntryList.isCall(e) ? " c" : " r").append(EntryList.operation(e));
    }
    return text.toString().trim();
  }

  @Test
  void entriesAreInTimeOrderWithCallsBeforeReturnsAtTheSameInstant() {
    EntryList entries = EntryList.of(operations(0, 10, 10, 20, 5, Operation.NEVER));

    assertThat(render(entries)).isEqualTo("c0 c2 c1 r0 r1 r2");
  }

  @Test
  void unliftingInReverseOrderRestoresTheList() {
    EntryList entries = EntryList.of(operations(0, 30, 10, 20, 15, 40));
    String original = render(entries);

    entries.lift(1);
    assertThat(render(entries)).isEqualTo("c0 c2 r0 r2");
    entries.lift(0);
    assertThat(render(entries)).isEqualTo("c2 r2");
    entries.unlift(0);
    entries.unlift(1);

    assertThat(render(entries)).isEqualTo(original);
  }
}
