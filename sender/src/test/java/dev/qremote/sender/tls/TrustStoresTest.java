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
}
