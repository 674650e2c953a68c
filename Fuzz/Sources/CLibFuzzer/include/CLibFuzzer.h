// libFuzzer's driver entry point (compiler-rt FuzzerInterface.h). SwiftPM links every executable
// with main renamed to <Target>_main, so each fuzz target's @main calls the driver itself.
#ifndef TUNESMITH_CLIBFUZZER_H
#define TUNESMITH_CLIBFUZZER_H
#include <stddef.h>
#include <stdint.h>

typedef int (*TunesmithFuzzCallback)(const uint8_t *data, size_t size);

/// Runs libFuzzer with the process arguments and a test-one-input callback (defined by -fsanitize=fuzzer's runtime).
int LLVMFuzzerRunDriver(int *argc, char ***argv, TunesmithFuzzCallback callback);

#endif
