package dev.keel.raft.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeKeyMaterialTest {

  private static final ClusterCa CA = ClusterCa.generate("test-ca", Duration.ofDays(1));

  @TempDir Path dir;

  @Test
  void readPemReadsWhatWritePemWroteAndNamesTheNodeByItsCommonName() throws IOException {
    NodeKeyMaterial written = CA.issue("n1", List.of("127.0.0.1"), Duration.ofDays(1));
    written.writePem(dir.resolve("n1.key"), dir.resolve("n1.crt"));

    NodeKeyMaterial read =
        NodeKeyMaterial.readPem(dir.resolve("n1.key"), dir.resolve("n1.crt"), new char[0]);
    assertThat(read.name()).isEqualTo("n1");
    assertThat(read.chain()).isEqualTo(written.chain());
    assertThat(read.privateKey().getEncoded()).isEqualTo(written.privateKey().getEncoded());
    assertThat(NodeKeyMaterial.commonName(CA.certificate())).isEqualTo("test-ca");
  }

  @Test
  void readPemRefusesAKeyThatDoesNotBelongToTheCertificate() throws IOException {
    CA.issue("n1", List.of(), Duration.ofDays(1))
        .writePem(dir.resolve("n1.key"), dir.resolve("n1.crt"));
    CA.issue("n2", List.of(), Duration.ofDays(1))
        .writePem(dir.resolve("n2.key"), dir.resolve("n2.crt"));
    Files.copy(dir.resolve("n2.key"), dir.resolve("n1.key"), StandardCopyOption.REPLACE_EXISTING);

    assertThatThrownBy(
            () ->
                NodeKeyMaterial.readPem(dir.resolve("n1.key"), dir.resolve("n1.crt"), new char[0]))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("does not belong to the certificate 'CN=n1'");
  }
}
