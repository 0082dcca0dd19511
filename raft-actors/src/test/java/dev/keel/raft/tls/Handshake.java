package dev.keel.raft.tls;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * Runs a TLS handshake between two engines in memory, as Pekko's TLS stage would over a socket:
 * wraps what one side has to say, unwraps it at the other, runs delegated tasks.
 */
final class Handshake {

  private Handshake() {}

  /**
   * Handshakes, then sends one application byte each way.
   *
   * @return null if it worked, else the first exception either side threw
   */
  static SSLException run(SSLEngine client, SSLEngine server) {
    ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
    ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
    ByteBuffer app = ByteBuffer.allocate(64 * 1024);
    try {
      client.beginHandshake();
      server.beginHandshake();
      for (int round = 0; round < 100; round++) {
        step(client, toServer, toClient, app);
        step(server, toClient, toServer, app);
        if (client.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
            && server.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING
            && toServer.position() == 0
            && toClient.position() == 0) {
          return exchangeData(client, server);
        }
      }
      throw new IllegalStateException("the handshake did not finish in 100 rounds");
    } catch (SSLException e) {
      return e;
    }
  }

  // One turn of one side: run its tasks, unwrap what it received, wrap what it has to send.
  private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer app)
      throws SSLException {
    runTasks(engine);
    in.flip();
    for (int i = 0; i < 10 && in.hasRemaining(); i++) {
      SSLEngineResult result = engine.unwrap(in, app);
      runTasks(engine);
      if (result.getStatus() != SSLEngineResult.Status.OK || result.bytesConsumed() == 0) {
        break;
      }
    }
    in.compact();
    app.clear();
    for (int i = 0; i < 10 && engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP; i++) {
      engine.wrap(ByteBuffer.allocate(0), out);
      runTasks(engine);
    }
  }

  private static SSLException exchangeData(SSLEngine client, SSLEngine server) throws SSLException {
    ByteBuffer wire = ByteBuffer.allocate(64 * 1024);
    ByteBuffer app = ByteBuffer.allocate(64 * 1024);
    client.wrap(ByteBuffer.wrap(new byte[] {42}), wire);
    wire.flip();
    for (int i = 0; i < 10 && wire.hasRemaining(); i++) {
      server.unwrap(wire, app);
    }
    return app.position() == 1 ? null : new SSLException("no data arrived");
  }

  private static void runTasks(SSLEngine engine) {
    for (Runnable task = engine.getDelegatedTask();
        task != null;
        task = engine.getDelegatedTask()) {
      task.run();
    }
  }
}
