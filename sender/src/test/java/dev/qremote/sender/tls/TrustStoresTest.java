package dev.qremote.sender.tls;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TrustStoresTest {
    /** /dev/zero named as a CA file was read for ever, past timeoutdelivery: now it is no CA file. */
    @Test
    void aDeviceNamedAsTheCaFileIsRefusedAtOnce() throws Exception {
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            assertThatThrownBy(() -> TrustStores.forLocation(Optional.of("/dev/zero")))
                    .isInstanceOf(TlsConfigException.class);
        });
        load.get(10, TimeUnit.SECONDS);
    }

    /** A FIFO named as a CA directory ("ca/") blocked in open(2), as control/tlshosts did: now it is no CA. */
    @Test
    void aFifoNamedAsTheCaDirectoryIsRefusedAtOnce(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path fifo = dir.resolve("ca");
        org.assertj.core.api.Assertions.assertThat(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor())
                .isZero();
        CompletableFuture<Void> load = CompletableFuture.runAsync(() -> {
            assertThatThrownBy(() -> TrustStores.forLocation(Optional.of(fifo + "/")))
                    .isInstanceOf(TlsConfigException.class);
            new TrustStoreCache().identity(Optional.of(fifo + "/"));
        });
        load.get(10, TimeUnit.SECONDS);
    }
}
