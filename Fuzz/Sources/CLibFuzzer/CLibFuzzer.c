// Header-only: the declaration in include/CLibFuzzer.h is defined by libFuzzer.
