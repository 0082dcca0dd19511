package dev.keel.raft;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** The snapshot format of the test state machines that keep a list of applied commands. */
public final class StringListSnapshots {

  private StringListSnapshots() {}

  /** Writes {@code commands}: a count, then each command as modified UTF-8. */
  public static void write(OutputStream out, List<String> commands) throws IOException {
    DataOutputStream data = new DataOutputStream(out);
    data.writeInt(commands.size());
    for (String command : commands) {
      data.writeUTF(command);
    }
    data.flush();
  }

  /** Reads what {@link #write} wrote. */
  public static List<String> read(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    int size = data.readInt();
    List<String> commands = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      commands.add(data.readUTF());
    }
    return commands;
  }
}
